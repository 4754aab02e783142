"""The issue-15 weekly questions (development) and paraphrases written after the tools were done (held-out),
asked through Assistant.ask over the demo data; an answer counts when every expected text is in it and no number
is untraced. Only development misses are printed with their answer; held-out ones are counted (reading them would be
tuning on them). Usage: python bench/ledger_questions.py DATA_DIR  (a data dir with the demo data imported)."""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from assistant.answer.engine import Assistant
from assistant.config import Settings

QUESTIONS = Path(__file__).with_name("ledger_questions.tsv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="数据目录（已导入演示数据，如 ASSISTANT_DATA_DIR）")
    data_dir = parser.parse_args().data_dir
    if not (data_dir / "project.sqlite").is_file():
        parser.error(f"{data_dir} 中没有项目数据库：先运行 assistant db import-demo corpus/data/")
    assistant = Assistant(Settings(data_dir=data_dir))
    rows = list(csv.DictReader(QUESTIONS.open(encoding="utf-8"), delimiter="\t"))
    score: dict[str, list[int]] = {}
    for row in rows:
        t0 = time.perf_counter()
        answer = assistant.ask(row["question"])
        ok = all(e in answer.answer for e in row["expect"].split(";")) and not answer.flagged_numbers
        score.setdefault(row["part"], []).append(int(ok))
        if row["part"] != "heldout":
            print(f"{'✓' if ok else '✗'} {row['id']} {row['question']} ({time.perf_counter() - t0:.1f}s)"
                  + ("" if ok else f"\n    {answer.answer[:200]}"))
    for part, hits in score.items():
        print(f"{part}: {sum(hits)}/{len(hits)}")


if __name__ == "__main__":
    main()
