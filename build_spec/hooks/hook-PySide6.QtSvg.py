# Replaces PyInstaller's hook: the same collection, minus unused Qt plugins (see ../qt_selection.py).
from PyInstaller.utils.hooks.qt import add_qt6_dependencies
from qt_selection import filtered

hiddenimports, binaries, datas = filtered(add_qt6_dependencies(__file__))
