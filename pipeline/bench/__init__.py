"""``intake bench``: intake against plain Tesseract, OCRmyPDF and bare in-process Tesseract.

A labelled corpus is rendered with the repo's generator (``corpus``), every tool reads the
same pages with the same cores (``tools``), the results are measured against the truth
(``metrics``) and shown as one table in text, JSON and HTML (``report``, ``html``).
"""
