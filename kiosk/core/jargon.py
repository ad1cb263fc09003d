"""Medical words a patient may not know, and the plain words to say instead.

``kiosk check-content`` fails a page (or a question, title, picture text) that uses one
of these words, naming the line and the plain word. The list is short on purpose: only
words that have an everyday replacement and that patient pages do not need to teach.
Clinic editors may add a line to a language's list:

    "medical word": "plain word to use instead",

Write the word in lower case; the check ignores capitals and accents (so "analgesico"
is caught as well as "Analgésico"), and also catches the plural ("analgesics"), and in
Spanish the -a and -os/-as forms of words ending in -o ("contraindicada").

A word the pages deliberately teach stays off the list. For example "local anesthetic"
is explained on the "what it is" page ("This is a numbing medicine."), because patients
hear it from their care team when they give consent.
"""

from __future__ import annotations

JARGON: dict[str, dict[str, str]] = {
    "en": {
        "fluoroscopy": "X-ray",
        "fluoroscopic": "X-ray",
        "analgesic": "pain medicine",
        "analgesia": "pain relief",
        "efficacy": "how well it works",
        "contraindicated": "not safe for you",
        "bilateral": "on both sides",
        "subcutaneous": "under the skin",
        "percutaneous": "through the skin",
        "vasovagal": "fainting",
        "syncope": "fainting",
        "erythema": "redness",
        "paresthesia": "tingling",
        "paraesthesia": "tingling",
        "pneumothorax": "collapsed lung",
    },
    "es": {
        "fluoroscopia": "rayos X",
        "fluoroscópico": "de rayos X",
        "analgésico": "medicina para el dolor",
        "analgesia": "alivio del dolor",
        "eficacia": "qué tan bien funciona",
        "contraindicado": "no es seguro para usted",
        "bilateral": "en los dos lados",
        "subcutáneo": "debajo de la piel",
        "percutáneo": "a través de la piel",
        "vasovagal": "desmayo",
        "síncope": "desmayo",
        "eritema": "enrojecimiento",
        "parestesia": "hormigueo",
        "neumotórax": "pulmón colapsado",
    },
}
