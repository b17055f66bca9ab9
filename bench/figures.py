"""The figures a bench module prints: one ``BENCH name: value`` line each, then a table for the README."""

import pytest

FIGURES: list[tuple[str, str]] = []


def figure(name: str, value: str) -> None:
    FIGURES.append((name, value))
    print(f"BENCH {name}: {value}")


@pytest.fixture(scope="module", autouse=True)
def report_figures():
    """After each bench module: its figures as a Markdown table."""
    yield
    print("\n| measure | figure |\n|---|---|")
    for name, value in FIGURES:
        print(f"| {name} | {value} |")
    FIGURES.clear()
