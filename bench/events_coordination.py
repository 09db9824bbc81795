"""Precision and recall of the coordination check on the labelled set of event pairs.

    .venv/bin/python bench/events_coordination.py

The set is kyodo/events/data/coordination_pairs.csv: realistic pairs of Japanese trainings
labelled by hand (1 = a clash a coordinator would want to hear about, 0 = not).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")

import django

django.setup()

from kyodo.events.labelled import evaluate  # noqa: E402


def main() -> None:
    result = evaluate()
    print(f"pairs: {result.total} (clashes {result.positives})")
    print(f"true positives: {result.true_positives}, false positives: {result.false_positives}")
    print(f"false negatives: {result.false_negatives}")
    print(f"precision: {result.precision:.3f}")
    print(f"recall: {result.recall:.3f}")
    for row_id, label, predicted, score in result.mistakes:
        print(f"  mistake: pair {row_id} labelled {label} predicted {predicted} score {score:.2f}")


if __name__ == "__main__":
    main()
