"""Kansoku."""
