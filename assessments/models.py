"""Exam results, scales and quality flags (models arrive with the assessments issue)."""
