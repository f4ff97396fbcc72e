"""The privacy checks' table of cases: what each must catch and what it must let through.

DENIED lists texts that publish the denylisted name "Jordan Smithson" (or the school
"St Mary's Church of England Primary School and Nursery", a term of nine words), each a way the
name reaches a reader; NOT_DENIED lists texts that only look like it. DETECTED gives each
detector's catches, ALLOWED ordinary text that must raise nothing.
"""

NAME = "Jordan Smithson"
SCHOOL = "St Mary's Church of England Primary School and Nursery"

SOFT = "\u00ad"
DENIED = [
    ("plain", "She spoke to Jordan Smithson."),
    ("case and spacing", "JORDAN   smithson was there."),
    ("accents", "Jördan Smíthson was there."),
    ("fullwidth", "Ｊｏｒｄａｎ Ｓｍｉｔｈｓｏｎ was there."),
    ("soft hyphen", f"Jor{SOFT}dan Smith{SOFT}son was there."),
    ("zero-width space", "Jor\u200bdan Smithson was there."),
    ("zero-width joiner", "Jordan Smi\u200dthson was there."),
    ("word joiner", "Jordan Smith\u2060son was there."),
    ("byte order mark", "Jor\ufeffdan Smithson was there."),
    ("combining accent", "Jorda\u0301n Smithson was there."),
    ("Cyrillic look-alikes", "J\u043erd\u0430n Smiths\u043en was there."),
    ("Greek look-alikes", "J\u03bfrdan Smiths\u03bfn was there."),
    ("Cyrillic capitals", "JORDAN SMIT\u041dSON was there."),
    ("emphasis", "She spoke to **Jordan** Smithson."),
    ("emphasis inside a word", "She spoke to Jor*dan* Smithson."),
    ("link text", "She spoke to [Jordan Smithson](https://example.org/)."),
    ("a link splitting a word", "She spoke to [Jor](https://example.org/)dan Smithson."),
    ("a link's address", "See [the notes](https://example.org/jordan-smithson-2019)."),
    ("HTML inside a word", "Jor<b>dan</b> Smithson was there."),
    ("an entity", "Jor&shy;dan Smithson was there."),
    ("PDF line-break hyphen", "Jordan Smith-\nson was there."),
    ("hyphen", "Jordan Smith-son was there."),
    ("run together", "JordanSmithson was there."),
    ("run together in a URL", "https://example.org/jordansmithson/page"),
    ("camel case in an id", "id: JordanSmithsonReview2019"),
    ("plural", "The Jordan Smithsons came."),
    ("possessive", "Jordan Smithson's school."),
    ("initial and surname", "J. Smithson was there."),
    ("initial without a dot", "J Smithson was there."),
    ("surname first", "Smithson, Jordan was there."),
    ("surname and initial", "Smithson, J. was there."),
    ("a long term", "She went to St Mary's Church of England Primary School and Nursery."),
    ("a long term run together", "stmaryschurchofenglandprimaryschoolandnursery.org.uk"),
    ("a long term in lower case with a split", "st marys church of england prim-ary school and nursery"),
]

NOT_DENIED = [
    ("another Jordan", "Jordan Smith was there."),
    ("another Smithson", "Ann Smithson was there."),
    ("part of a longer word", "Jordanian Smithsonian museum."),
    ("a word inside the name", "The Smiths sang."),
    ("the school's name cut short", "St Mary's Church of England Primary School."),
    ("a place takes no name's forms", "She left the nursery. S was her key worker at School S."),
]

DETECTED = [
    ("date-of-birth", "DOB: 03/04/2009"),
    ("date-of-birth", "born 3 April 2009"),
    ("date-of-birth", "born on the 3rd of April 2009"),
    ("date-of-birth", "She was born in April 2009."),
    ("date-of-birth", "born 2009-04-03"),
    ("date-of-birth", "Child T (b. 3 April 2009) lived with her mother."),
    ("date-of-birth", "Her D O B was on file."),
    ("date-of-birth", "Her D.O.B. was on file."),
    ("date-of-birth", "born April 3rd, 2009"),
    ("date-of-birth", "Her date of birth was known."),
    ("postcode", "She lived at LE1 6ZG."),
    ("postcode", "She lived at le1 6zg."),
    ("postcode", "She lived at Le1 6Zg."),
    ("postcode", "She lived at LE1  6ZG."),
    ("postcode", "She lived at LE1-6ZG."),
    ("postcode", "She lived at SW1A 1AA."),
    ("postcode", "She lived at ＬＥ１ ６ＺＧ."),
    ("phone-number", "Ring +44 (0)116 454 1234."),
    ("phone-number", "Ring (0116) 454 1234."),
    ("phone-number", "Ring 0044 116 454 1234."),
    ("phone-number", "Ring 0116.454.1234."),
    ("phone-number", "Ring 07700 900123."),
    ("phone-number", "Ring 0116 454 1234."),
    ("email", "Write to a.person@example.com."),
    ("email", "Write to jordan at gmail dot com."),
    ("email", "Write to jordan [at] gmail [dot] com."),
    ("email", "Write to jordan (at) gmail.com."),
    ("email", "Write to jordan＠gmail.com."),
    ("nhs-number", "NHS 943 476 5919."),
    ("nhs-number", "NHS 943-476-5919."),
    ("nhs-number", "NHS 943.476.5919."),
    ("nhs-number", "NHS 943  476  5919."),
    ("nhs-number", "NHS 9434765919."),
    ("ni-number", "NI AB123456C."),
    ("ni-number", "NI AB 12 34 56 C."),
    ("ni-number", "NI AB-12-34-56-C."),
    ("ni-number", "NI ab123456c."),
]

ALLOWED = [
    "Write to team@example.gov.uk. In 2019 and 2020, LA1 to LA6, 14 weeks, CSE and CAMHS.",
    "She was born in 2009 and seen on 12 March 2015.",
    "The review met at the town hall. The guidance is at gov.uk and at www.nspcc.org.uk.",
    "Reviews from 2010-2012 and 2013-2015 were read; 1,234 children in 2021 2022.",
    "NHS number 943 476 5918 fails its check.",
    "Pupils in Y6 2nd term, the M1 motorway, and 3 April 2009 as a meeting date.",
    "She was born prematurely and the baby was seen at 6 weeks.",
    "Section 47 enquiries, Working Together 2018, paragraphs 3.1 to 3.4.",
]
