"""F_parse: parse every case file of a directory with libyaml, one process, nothing else."""
import os
import sys

import yaml


def main(directory: str) -> None:
    with os.scandir(directory) as entries:
        names = sorted(e.path for e in entries if e.name.endswith((".yaml", ".yml")))
    for name in names:
        with open(name, encoding="utf-8") as handle:
            yaml.load(handle.read(), Loader=yaml.CSafeLoader)


if __name__ == "__main__":
    main(sys.argv[1])
