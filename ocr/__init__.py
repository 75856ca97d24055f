"""Stage 1: a file becomes positioned text.

Text files become numbered lines, PDFs become pages of words and ruling lines read from the text
layer, scans become pages of words recognised by PaddleOCR. Every piece keeps an `Origin`.
"""
