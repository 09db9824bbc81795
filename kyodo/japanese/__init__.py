"""Domain-free Japanese helpers (日本語処理), pure functions reused across the apps.

Modules:

- ``text``: normalisation for comparison (width, spaces, dashes against the long-vowel
  mark ー, case), katakana ⇄ hiragana, full-width digits, フリガナ checks.
- ``kana``: the 50音 row of a reading (あ行 … わ行) and 50音順 sort keys.
- ``era``: Japanese calendar (和暦) ⇄ Gregorian (西暦), 元年, abbreviations (H26, R7.3.31),
  and dates found in running text.
- ``fiscal_year``: fiscal years (年度, April–March) and their labels (令和7年度, FY2025).
- ``holidays``: public holidays (祝日) with Japanese names, business days, 年末年始.
- ``corporate_number``: 法人番号 check digits and a Django validator.

Dependency rule: nothing here imports from a Kyodo app; only the standard library, Django's
translation and validation utilities, and the ``holidays`` package.
"""
