# placeholder until the garbled-run module lands
from dataclasses import dataclass
@dataclass(frozen=True)
class GarbledRun:
    start: int
    end: int
    original: str
def repair_garbled(text):
    return text, []
def looks_garbled(text):
    return False
