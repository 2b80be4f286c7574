"""Language processing: sentences, embeddings, entities, quantities and dates.

Each submodule loads its model lazily, once per process; import the submodule you need
(``from newsdistill.nlp.embed import get_embedder``) so that unrelated models stay unloaded.
"""
