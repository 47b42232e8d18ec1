"""Yigong (义工): a volunteer-service platform for a district or a city."""

__version__ = "0.1.0"
