"""Deterministic demo data for salesforecast (no Django imports here: the fakes and the engine use it too)."""
