"""Each entry's position in its district chain (hashed, unique per chain), and the recorder is protected."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name="position in the chain"),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="recorded_by",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(fields=("district_code", "seq"),
                                               name="one_entry_per_chain_position"),
        ),
    ]
