"""The desktop interface: PySide6 and pyqtgraph appear only under this package (and reports/)."""
