"""An information or stage page: text, and its picture with a caption."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.core.content import ContentPack, Page
from kiosk.core.content import Illustration as IllustrationData
from kiosk.ui.illustration import Illustration
from kiosk.ui.pages.base import PageView
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import SteadyLabel, set_role

WIDE_TEXT_MIN_PX = 1100  # below this, or with larger text, the picture goes above the text


class ContentPage(PageView):
    def __init__(self, pack: ContentPack, page: Page, theme: Theme, scale: float, parent: QWidget | None = None,
                 html: str | None = None) -> None:
        super().__init__(pack, page, theme, scale, parent)
        self.text = self.rich_text(page.html if html is None else html)  # (a kind may show the rest itself)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.column.addWidget(self.text)
        self.column.addStretch(1)
        self.figure: QWidget | None = None
        self.picture: Illustration | None = None
        self.caption: SteadyLabel | None = None
        self._wide: bool | None = None  # the picture beside the text (True), above it, or none yet
        if page.illustration is not None:
            self.figure = QWidget()
            self.figure.setObjectName("figure")
            column = QVBoxLayout(self.figure)
            column.setContentsMargins(0, 18, 0, 0)
            column.setSpacing(6)
            self.picture = self.make_picture(page.illustration)
            self.picture.setObjectName("illustration")
            self.picture.setAccessibleDescription(page.illustration.caption)
            self.caption = caption = SteadyLabel(page.illustration.caption)
            caption.setObjectName("caption")
            caption.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            set_role(caption, "caption")
            column.addWidget(self.picture)
            column.addWidget(caption)
            self.add_below_picture(column)
            column.addStretch(1)
        self.apply_layout(1920, 1.0)

    def make_picture(self, picture: IllustrationData) -> Illustration:
        return Illustration(picture.path, picture.alt)

    def add_below_picture(self, column: QVBoxLayout) -> None:
        """What a kind shows under the picture's caption (nothing here)."""

    def apply_layout(self, width: int, scale: float) -> None:
        """Wide: the picture stays on the left and the text scrolls beside it, so the
        scroll bar is next to the words it moves. Narrow (or large text): the picture
        goes above the text and scrolls with it."""
        wide = self.figure is not None and width / scale >= WIDE_TEXT_MIN_PX
        if wide == self._wide or self.figure is None or self.picture is None:
            return
        self._wide = wide
        if wide:
            self.column.removeWidget(self.figure)
            self.frame_row.insertWidget(0, self.figure, 2)
            self.picture.set_max_height(480)
        else:
            self.frame_row.removeWidget(self.figure)
            self.column.insertWidget(1, self.figure)  # after the heading, before the text
            self.picture.set_max_height(260)
