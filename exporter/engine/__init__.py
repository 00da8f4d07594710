"""Every use of a private WeasyPrint or pydyf name: patches checked against the versions they
were written for, applied for one render and restored after it."""
