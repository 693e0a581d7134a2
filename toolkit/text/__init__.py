"""Reading and repairing Chinese articles: inputs and encodings (``reading``), line repairs
(``cleaning``, ``garbled``), paragraphs and their kinds (``paragraphs``, ``document``), sentences,
word tokens, and the character classes and patterns they share (``patterns``)."""
