"""District figures over the ledger (selectors only; no models)."""
