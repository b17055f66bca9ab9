"""Onboarding a region: its directory (municipalities, organisations, schools, people) from one workbook."""
