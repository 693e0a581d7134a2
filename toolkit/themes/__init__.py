"""The theme model: features (``scoring``, ``lexicon``, ``context``), the pipeline and fitting
(``classifier``), its files and loading (``model_files``, ``model``), coding documents
(``results``), labels, configuration (``config``), training, evaluation and inspection."""
