"""Reading: the bytes of a Markdown file in, a parsed ``Article`` out (front matter, body,
headings, notes, and every asset it names, resolved and checked)."""
