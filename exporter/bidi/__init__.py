"""The bidi pass: the body's HTML in, the same HTML out with every left-to-right run isolated
and marked so that each engine orders it as the Unicode bidi algorithm does."""
