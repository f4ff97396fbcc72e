"""Speed: the tricks that keep a national site quick, behind their own seams."""
