"""In-process Tesseract through tesserocr: one API object per language set, reused."""

from __future__ import annotations

import threading
import time
import unicodedata
from collections import Counter

from PIL import Image

from config.errors import Misconfigured, Rejected, Transient
from pipeline.engines.base import Orientation, page_ocr, tessdata_dir
from pipeline.model import PageOcr, ReasonCode, Word

# OSD stops after this many characters: enough for a page of text at a third of the
# cost (all of 36 test turns right at 15, as at the default 50).
OSD_CHARACTERS = 15
# A word of a page read mostly in its first language that Tesseract took in another is read
# again in the first alone, with this share of its height around it: the English model has
# no "ä", and read "Väljamakse" on an Estonian page as "Valjamakse" (7 of 30 "ä" on one).
WORD_MARGIN = 0.3
PUNCTUATION = ".,;:!?()\"'"
# Whether a page is in its first language is told by its commonest words (written without
# their letters' marks, as they are compared), not by which model Tesseract used: on one
# Estonian page it read 66 words in English and 16 in Estonian.
FUNCTION_WORDS = {
    "est": frozenset(
        {
            "ja",
            "ei",
            "et",
            "ka",
            "ning",
            "kui",
            "see",
            "mis",
            "oma",
            "voi",
            "ole",
            "olen",
            "palun",
            "aasta",
            "kuni",
            "alates",
            "kohta",
            "minu",
            "mulle",
            "seoses",
            "andmed",
            "isikukood",
            "kuupaev",
            "allkiri",
            "taotlus",
            "avaldus",
            "nimi",
            "aadress",
        }
    ),
    "eng": frozenset(
        {
            "the",
            "and",
            "of",
            "to",
            "in",
            "is",
            "for",
            "that",
            "with",
            "as",
            "by",
            "this",
            "are",
            "be",
            "from",
            "at",
            "or",
            "we",
            "you",
            "your",
            "it",
            "not",
            "have",
            "will",
            "date",
            "name",
            "address",
            "signature",
            "application",
        }
    ),
}


class TesserocrEngine:
    """Tesseract's C++ API in this process; no subprocess and no image encoding per page."""

    name = "tesserocr"

    def __init__(self, *, tuned: bool = True, page_time_limit: float = 0.0) -> None:
        """``tuned=False`` gives Tesseract's own defaults (the benchmark's bare baseline).

        ``page_time_limit`` (seconds, 0 for none; :func:`make_engine` gives
        ``OCR_SECONDS_PER_PAGE``) refuses a page whose recognition takes longer, when the
        caller sets no limit of its own.
        """
        try:
            import tesserocr
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise Misconfigured(f"tesserocr is not importable: {exc}") from exc
        self._tesserocr = tesserocr
        self._path = str(tessdata_dir())
        self._apis: dict[str, object] = {}
        self._lock = threading.Lock()
        self._tuned = tuned
        self._page_time_limit = page_time_limit

    def _api(self, languages: str) -> object:
        api = self._apis.get(languages)
        if api is not None:
            return api
        tr = self._tesserocr
        # PSM 3: Tesseract's layout analysis finds the columns, tables and boxes of the page
        # (``reading_lines`` puts a form's labels and values back on their rows).
        try:
            api = tr.PyTessBaseAPI(path=self._path, lang=languages, psm=tr.PSM.AUTO)
        except RuntimeError as exc:
            raise Misconfigured(f"Tesseract cannot load {languages}: {exc}") from exc
        if self._tuned:
            # Pages arrive upright: a narrow column of digits is not vertical text.
            api.SetVariable("textord_tabfind_vertical_text", "0")
        self._apis[languages] = api
        return api

    def _word_api(self, language: str) -> object:
        key = f"{language}#word"
        api = self._apis.get(key)
        if api is None:
            tr = self._tesserocr
            api = tr.PyTessBaseAPI(path=self._path, lang=language, psm=tr.PSM.SINGLE_LINE)
            self._apis[key] = api
        return api

    def _first_language_again(
        self, image: Image.Image, words: list[Word], read_in: list[str], languages: str
    ) -> list[Word]:
        """The words read in a later language, read again in the page's first.

        Only where the letters' marks alone differ (``WORD_MARGIN``), and on a page whose
        commonest words are in the first language (``FUNCTION_WORDS``).
        """
        first = languages.split("+")[0]
        if first not in FUNCTION_WORDS or all(language == first for language in read_in):
            return words
        bare = [_folded(word.text).strip(PUNCTUATION) for word in words]
        said = Counter(
            language
            for folded in bare
            for language, common in FUNCTION_WORDS.items()
            if folded in common
        )
        others = max((n for language, n in said.items() if language != first), default=0)
        if said[first] < 2 or said[first] <= others:
            return words
        api = self._word_api(first)
        mended = []
        for word, language, folded in zip(words, read_in, bare, strict=True):
            if language != first and folded.isalpha():
                again = self._read_word(api, image, word.box)
                if again != word.text and _folded(again) == _folded(word.text):
                    word = Word(
                        again, word.confidence, word.box, word.block, word.paragraph, word.line
                    )
            mended.append(word)
        return mended

    @staticmethod
    def _read_word(api: object, image: Image.Image, box: tuple[int, int, int, int]) -> str:
        x0, y0, x1, y1 = box
        pad = max(2, round(WORD_MARGIN * (y1 - y0)))
        crop = image.crop(
            (
                max(0, x0 - pad),
                max(0, y0 - pad),
                min(image.width, x1 + pad),
                min(image.height, y1 + pad),
            )
        )
        api.SetImage(crop)  # type: ignore[attr-defined]
        try:
            text = str(api.GetUTF8Text() or "")  # type: ignore[attr-defined]
        except RuntimeError:
            text = ""
        api.Clear()  # type: ignore[attr-defined]
        return text.strip()

    def detect_orientation(self, image: Image.Image, *, dpi: int | None) -> Orientation | None:
        """Tesseract OSD in this process, with a lower character quota than its default 50."""
        tr = self._tesserocr
        with self._lock:
            api = self._apis.get("osd")
            if api is None:
                api = tr.PyTessBaseAPI(path=self._path, lang="osd", psm=tr.PSM.OSD_ONLY)
                api.SetVariable("min_characters_to_try", str(OSD_CHARACTERS))
                self._apis["osd"] = api
            api.SetImage(image)  # type: ignore[attr-defined]
            if dpi:
                api.SetSourceResolution(dpi)  # type: ignore[attr-defined]
            try:
                found = api.DetectOrientationScript()  # type: ignore[attr-defined]
            except RuntimeError:
                found = None
            api.Clear()  # type: ignore[attr-defined]
        if not found:
            return None
        return Orientation(
            rotation=int(found["orient_deg"]) % 360,
            confidence=float(found["orient_conf"]),
            script=str(found["script_name"]),
            script_confidence=float(found["script_conf"]),
        )

    def recognise(
        self, image: Image.Image, *, languages: str, dpi: int | None, time_limit: float = 0.0
    ) -> PageOcr:
        """Recognise ``image`` and keep every word with its box, confidence and line."""
        tr = self._tesserocr
        limit = time_limit or self._page_time_limit
        with self._lock:
            api = self._api(languages)
            started = time.monotonic()
            try:
                api.SetImage(image)  # type: ignore[attr-defined]
                if dpi:
                    api.SetSourceResolution(dpi)  # type: ignore[attr-defined]
                milliseconds = max(round(limit * 1000), 1) if limit else 0
                done = api.Recognize(milliseconds)  # type: ignore[attr-defined]
            except RuntimeError as exc:
                raise Transient(f"tesseract failed: {exc}") from exc
            if not done and not time_limit and limit and time.monotonic() - started >= limit:
                api.Clear()  # type: ignore[attr-defined]
                raise Rejected(ReasonCode.PAGE_TOO_SLOW, "OCR time limit")
            words: list[Word] = []
            read_in: list[str] = []
            block = paragraph = line = 0
            iterator = api.GetIterator()  # type: ignore[attr-defined]
            items = tr.iterate_level(iterator, tr.RIL.WORD) if iterator is not None else ()
            for item in items:
                if item.IsAtBeginningOf(tr.RIL.BLOCK):
                    block += 1
                if item.IsAtBeginningOf(tr.RIL.PARA):
                    paragraph += 1
                if item.IsAtBeginningOf(tr.RIL.TEXTLINE):
                    line += 1
                try:
                    text = item.GetUTF8Text(tr.RIL.WORD)
                except RuntimeError:  # an empty word: Tesseract has no text for it
                    continue
                box = item.BoundingBox(tr.RIL.WORD)
                if not text or not text.strip() or box is None:
                    continue
                words.append(
                    Word(
                        text=text.strip(),
                        confidence=round(item.Confidence(tr.RIL.WORD) / 100.0, 4),
                        box=(int(box[0]), int(box[1]), int(box[2]), int(box[3])),
                        block=block,
                        paragraph=paragraph,
                        line=line,
                    )
                )
                read_in.append(str(item.WordRecognitionLanguage() or ""))
            api.Clear()  # type: ignore[attr-defined]
            if self._tuned:  # Tesseract's own defaults read each word once
                words = self._first_language_again(image, words, read_in, languages)
        return page_ocr(words, languages=languages)

    def close(self) -> None:
        """End every Tesseract API this engine opened."""
        with self._lock:
            for api in self._apis.values():
                api.End()  # type: ignore[attr-defined]
            self._apis.clear()


def _folded(text: str) -> str:
    """``text`` without its letters' marks and case ("Väljamakse" and "valjamakse" agree)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
