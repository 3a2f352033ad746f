#!/usr/bin/env python3
"""Generates a synthetic Open Food Facts product export in the exact 2026 shape.

    gen-off.py --rows N --seed S > file.tsv

Shape (see ../shared/reference/open-food-facts-export.md): UTF-8, TAB-separated, no quoting
(literal " inside values), LF line ends, a header of 210 columns (the 88 named ones, then 122
`<nutrient>_100g`), every row as many fields as the header, rows sorted by `code` as strings.

Content, seeded and reproducible (same --rows and --seed give the same bytes):
- `code`: valid GS1 check digits. Mostly EAN-13 over a spread of GS1 prefixes (France- and
  Germany-heavy like the real export, some 729 = GS1 Israel); UPC-A zero-padded to 13 digits;
  ~3 % EAN-8 (8 digits); ~2 % internal codes in the 200-299 range. All GTIN-14 values distinct.
- `product_name`: 1-4 words, ~3 % empty, ~1 % with literal `"` (1 in 10,000 starting with one,
  which makes an RFC 4180 reader such as sqlite3's `.import` swallow fields up to the next `"<TAB>`).
- `brands`: Zipf-Mandelbrot (s = 1.07, q = 10: the top brand ~2 % of rows) over ~5,000 names, ~10 % empty, ~5 % two brands
  comma-separated (70 % of those two brands of one owner when it has several); `brands_tags` their slugs.
- `brand_owner`: ~1,500 owners, consistent per brand, filled on ~50 % of rows. No owner
  normalises to the same name as a brand (that would be a self-ownership) unless
  --self-owned F asks for that fraction of owned brands to name themselves as owner, as real
  exports do ("Carrefour" owned by "Carrefour").
- `countries_en`, a few tags, nutrient numbers; the rest empty, ~300 bytes per row.

Memory is bounded by one 3-digit GS1 prefix's codes (rows are made prefix by prefix, in order).
Also: --brands-out FILE writes the brand names (one a line) for search benchmarks.
"""

import argparse
import bisect
import itertools
import random
import sys
import unicodedata

NAMED = """code url creator created_t created_datetime last_modified_t last_modified_datetime
last_modified_by last_updated_t last_updated_datetime product_name
abbreviated_product_name generic_name quantity packaging packaging_tags packaging_en
packaging_text brands brands_tags brands_en categories categories_tags categories_en
origins origins_tags origins_en manufacturing_places manufacturing_places_tags labels
labels_tags labels_en emb_codes emb_codes_tags first_packaging_code_geo cities
cities_tags purchase_places stores countries countries_tags countries_en
ingredients_text ingredients_tags ingredients_analysis_tags allergens allergens_en
traces traces_tags traces_en serving_size serving_quantity no_nutrition_data
additives_n additives additives_tags additives_en nutriscore_score nutriscore_grade
nova_group pnns_groups_1 pnns_groups_2 food_groups food_groups_tags food_groups_en
states states_tags states_en brand_owner environmental_score_score
environmental_score_grade nutrient_levels_tags product_quantity owner
data_quality_errors_tags unique_scans_n popularity_tags completeness last_image_t
last_image_datetime main_category main_category_en image_url image_small_url
image_ingredients_url image_ingredients_small_url image_nutrition_url
image_nutrition_small_url""".split()

NUTRIENTS = """energy-kj energy-kcal energy energy-from-fat fat saturated-fat butyric-acid
caproic-acid caprylic-acid capric-acid lauric-acid myristic-acid palmitic-acid stearic-acid
arachidic-acid behenic-acid lignoceric-acid
unsaturated-fat monounsaturated-fat omega-9-fat polyunsaturated-fat omega-3-fat omega-6-fat
alpha-linolenic-acid eicosapentaenoic-acid docosahexaenoic-acid linoleic-acid arachidonic-acid
gamma-linolenic-acid dihomo-gamma-linolenic-acid oleic-acid elaidic-acid gondoic-acid
erucic-acid nervonic-acid trans-fat cholesterol carbohydrates sugars added-sugars sucrose
glucose fructose galactose lactose maltose maltodextrins psicose starch polyols erythritol
isomalt maltitol sorbitol fiber soluble-fiber polydextrose insoluble-fiber proteins casein
serum-proteins nucleotides salt added-salt sodium alcohol vitamin-a beta-carotene vitamin-d
vitamin-e vitamin-k vitamin-c vitamin-b1 vitamin-b2 vitamin-pp vitamin-b6 vitamin-b9 folates
vitamin-b12 biotin pantothenic-acid silica bicarbonate potassium chloride calcium phosphorus
iron magnesium zinc copper manganese fluoride selenium chromium molybdenum iodine caffeine
taurine ph fruits-vegetables-nuts fruits-vegetables-nuts-dried fruits-vegetables-nuts-estimate
fruits-vegetables-nuts-estimate-from-ingredients collagen-meat-protein-ratio
cocoa chlorophyl carbon-footprint carbon-footprint-from-meat-or-fish nutrition-score-fr
nutrition-score-uk glycemic-index water-hardness choline phylloquinone beta-glucan inositol
carnitine sulphate nitrate acidity water""".split()

HEADER = NAMED + [n + "_100g" for n in NUTRIENTS]
assert len(NAMED) == 88, len(NAMED)
assert len(NUTRIENTS) == 122, len(NUTRIENTS)
assert len(set(HEADER)) == 210
COL = {name: i for i, name in enumerate(HEADER)}

# GS1 prefixes (first 3 digits of the 13-digit code) → (share of rows, country sold in).
# UPC-A zero-padded: "0" + number system 0/1/6/7/8 → 13-digit codes "00x", "01x", "06x", "07x", "08x".
PREFIX_GROUPS = [
    (range(1, 20), 0.120, "United States"),    # UPC-A number systems 0-1 (000 left out: no collisions with EAN-8 values)
    (range(60, 140), 0.080, "United States"),  # UPC-A number systems 6-8 and 1xx
    (range(200, 201), 0.012, None),            # internal codes, mostly 200
    (range(201, 300), 0.008, None),
    (range(300, 380), 0.300, "France"),
    (range(380, 381), 0.004, "Bulgaria"),
    (range(400, 441), 0.120, "Germany"),
    (range(450, 460), 0.010, "Japan"),
    (range(460, 470), 0.006, "Russia"),
    (range(480, 481), 0.002, "Philippines"),
    (range(500, 510), 0.050, "United Kingdom"),
    (range(540, 550), 0.040, "Belgium"),
    (range(560, 561), 0.010, "Portugal"),
    (range(570, 580), 0.006, "Denmark"),
    (range(590, 591), 0.008, "Poland"),
    (range(600, 602), 0.004, "South Africa"),
    (range(690, 700), 0.012, "China"),
    (range(729, 730), 0.006, "Israel"),
    (range(730, 740), 0.008, "Sweden"),
    (range(750, 751), 0.010, "Mexico"),
    (range(760, 770), 0.030, "Switzerland"),
    (range(779, 780), 0.006, "Argentina"),
    (range(789, 791), 0.010, "Brazil"),
    (range(800, 840), 0.040, "Italy"),
    (range(840, 850), 0.040, "Spain"),
    (range(859, 860), 0.002, "Czech Republic"),
    (range(868, 870), 0.006, "Turkey"),
    (range(870, 880), 0.030, "Netherlands"),
    (range(890, 891), 0.004, "India"),
    (range(900, 920), 0.016, "Austria"),
    (range(930, 940), 0.008, "Australia"),
    (range(940, 950), 0.002, "New Zealand"),
]
EAN8_SHARE = 0.03
INTERNAL = set(range(200, 300))
NEIGHBOURS = ["France", "Germany", "Belgium", "Switzerland", "Spain", "Italy", "United Kingdom",
              "Netherlands", "United States", "Canada", "Luxembourg", "Austria"]

SYLLABLES = ("ba be bi bo bu ca co cu da de di do fa fe fi fo ga go gu ha he ho ja jo ka ke ki ko "
             "la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su "
             "ta te ti to tu va ve vi vo za zo bel dor mar val ber tin lan ros kan mel ver nor sol car "
             "vel dan fal gar hel kor lin mon pal rin sal tor vin zan al el il ol ar er or ur").split()
ACCENTED = {"e": "é", "a": "à", "o": "ö", "u": "ü", "i": "î"}
BRAND_WORDS = ["Farm", "Farms", "Kitchen", "Bio", "Naturals", "Gourmet", "Delights", "Organics", "Foods",
               "Dairy", "Bakery", "Garden", "Valley", "Mills", "Select", "Classic", "Origins", "Fresh",
               "Maison", "Délices", "Tradition", "Premium", "Harvest", "Sweets", "Snacks", "Brewery"]
OWNER_FORMS = ["{} Foods Inc.", "Groupe {} SA", "{} GmbH", "{} Holdings Ltd.", "{} & Sons Ltd.",
               "{} Group", "{} S.p.A.", "{} B.V.", "{} Industries", "{} Nahrungsmittel GmbH",
               "{} Alimentos S.A.", "{} Beverages Corp.", "{} International", "{} AG", "{} plc"]
LEGAL = {"inc", "incorporated", "ltd", "limited", "llc", "plc", "corp", "corporation", "co", "company",
         "gmbh", "ag", "sa", "nv", "bv", "spa", "srl", "ab", "oy", "pty", "lp", "sas", "se", "kg"}
FOOD = ["Yogurt", "Chocolate", "Biscuits", "Cookies", "Cheese", "Ham", "Juice", "Soda", "Water", "Crackers",
        "Cereal", "Granola", "Pasta", "Rice", "Sauce", "Soup", "Tea", "Coffee", "Milk", "Butter", "Jam",
        "Honey", "Bread", "Chips", "Nuts", "Hummus", "Olives", "Tuna", "Sardines", "Ketchup", "Mustard",
        "Mayonnaise", "Pesto", "Muesli", "Wafers", "Candy", "Gum", "Ice cream", "Pizza", "Lasagne",
        "Noodles", "Tahini", "Dates", "Couscous", "Lentils", "Chickpeas", "Sausages", "Salami", "Tofu",
        "Crème fraîche", "Pâté", "Bonbons", "Limonade", "Brioche", "Madeleines", "Baguette"]
ADJ = ["Organic", "Classic", "Dark", "Milk", "Sparkling", "Whole", "Light", "Extra", "Spicy", "Sweet",
       "Salted", "Unsalted", "Original", "Mini", "Family", "Greek", "Vanilla", "Strawberry", "Lemon",
       "Smoked", "Crunchy", "Creamy", "Bio", "Plain", "Roasted", "Garlic", "Honey", "Coconut", "Mango"]
QUOTED = ['"Bo Kho"', '"Bio"', '"Extra"', '"Tradition"', '"Le Vrai"', '"Original"', '"Fit"']
GRADES = "abcde"


def norm_key(name):
    """Close to bdscheck's NameKey: fold case and diacritics, keep alphanumerics, drop trailing legal forms."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c)).replace("&", " and ").replace("'", "")
    words = "".join(c if c.isalnum() else " " for c in folded).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL:
        words = words[:-1]
    return "".join(words)


def slug(name):
    folded = unicodedata.normalize("NFKD", name.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return "-".join("".join(c if c.isalnum() else " " for c in folded).split())


def check_digit(data):
    """GS1 check digit of a string of data digits (weights 3, 1, … from the right)."""
    total = 0
    weight = 3
    for ch in reversed(data):
        total += (ord(ch) - 48) * weight
        weight = 4 - weight
    return str((10 - total % 10) % 10)


def make_word(rng, syllables):
    w = "".join(rng.choice(SYLLABLES) for _ in range(syllables))
    if rng.random() < 0.06:
        i = rng.randrange(len(w))
        w = w[:i] + ACCENTED.get(w[i], w[i]) + w[i + 1:]
    return w.capitalize()


def make_brands(rng, count, taken):
    brands = []
    while len(brands) < count:
        r = rng.random()
        if r < 0.55:
            name = make_word(rng, rng.choice((2, 2, 3)))
        elif r < 0.85:
            name = make_word(rng, 2) + " " + rng.choice(BRAND_WORDS)
        elif r < 0.95:
            name = make_word(rng, 1) + " " + make_word(rng, 2)
        else:
            name = rng.choice(["Les ", "La ", "Le ", "Chez ", "Casa ", "Mr. ", "Dr. "]) + make_word(rng, 2)
        k = norm_key(name)
        if k and k not in taken:
            taken.add(k)
            brands.append(name)
    return brands


def make_owners(rng, count, taken):
    owners = []
    while len(owners) < count:
        name = rng.choice(OWNER_FORMS).format(make_word(rng, rng.choice((2, 3))))
        k = norm_key(name)
        if k and k not in taken:
            taken.add(k)
            owners.append(name)
    return owners


def allocate(total, weights):
    """Largest-remainder allocation of `total` over `weights` (deterministic, sums exactly)."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    counts = [int(x) for x in raw]
    short = total - sum(counts)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[:short]:
        counts[i] += 1
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--brands", type=int, default=5000)
    ap.add_argument("--owners", type=int, default=1500)
    ap.add_argument("--self-owned", type=float, default=0.0,
                    help="fraction of owned brands whose brand_owner is the brand itself (real exports have some)")
    ap.add_argument("--brands-out", help="also write the brand names here, one a line")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    taken = set()
    brands = make_brands(rng, args.brands, taken)
    owners = make_owners(rng, args.owners, taken)
    if args.brands_out:
        with open(args.brands_out, "w", encoding="utf-8") as f:
            f.write("\n".join(brands) + "\n")

    # Zipf-like popularity; the brand list is already in random order, so rank = index.
    cum = list(itertools.accumulate(1.0 / (i + 10) ** 1.07 for i in range(len(brands))))
    total_w = cum[-1]
    # Owners: each brand gets one with probability 0.5 (owners themselves Zipf-ish, a few own many brands).
    owner_cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.8 for i in range(len(owners))))
    brand_owner = []
    for b in brands:
        if rng.random() < 0.5:
            if rng.random() < args.self_owned:
                brand_owner.append(b)
            else:
                brand_owner.append(owners[bisect.bisect_left(owner_cum, rng.random() * owner_cum[-1])])
        else:
            brand_owner.append("")
    brand_slugs = [slug(b) for b in brands]
    # Brands sharing an owner: a second brand on a row is usually a sibling ("Nestlé, Maggi").
    siblings_of_owner = {}
    for i, o in enumerate(brand_owner):
        if o:
            siblings_of_owner.setdefault(o, []).append(i)
    siblings = [siblings_of_owner.get(o, ()) if o else () for o in brand_owner]

    # Row template: only the columns this generator fills get a %s; the rest stay empty.
    filled = ["code", "url", "created_t", "last_modified_t", "product_name", "brands", "brands_tags", "countries_en", "nutriscore_grade",
              "nova_group", "brand_owner", "energy-kcal_100g", "fat_100g", "sugars_100g", "proteins_100g",
              "salt_100g"]
    slots = {COL[c] for c in filled}
    template = "\t".join("%s" if i in slots else "" for i in range(len(HEADER))) + "\n"
    assert sorted(filled, key=COL.get) == filled, "the template's slots must be in column order"

    out = sys.stdout
    out.write("\t".join(HEADER) + "\n")

    prefixes, weights, country_of = [], [], {}
    for group, share, country in PREFIX_GROUPS:
        for p in group:
            prefixes.append(p)
            weights.append(share / len(group))
            country_of[p] = country
    counts = allocate(args.rows, weights)

    rnd = rng.random
    choice = rng.choice
    bisect_left = bisect.bisect_left
    nb = len(brands)
    for p, n in zip(prefixes, counts):
        if n == 0:
            continue
        ps = "%03d" % p
        n8 = 0 if p < 200 else min(sum(1 for _ in range(n) if rnd() < EAN8_SHARE), 9000)
        n13 = n - n8
        codes = [ps + d + check_digit(ps + d) for d in ("%09d" % x for x in rng.sample(range(10 ** 9), n13))]
        codes += [ps + d + check_digit(ps + d) for d in ("%04d" % x for x in rng.sample(range(10 ** 4), n8))]
        codes.sort()
        home = country_of[p]
        rows = []
        append = rows.append
        for code in codes:
            # name
            r = rnd()
            if r < 0.03:
                name = ""
            elif r < 0.0301:
                name = choice(QUOTED) + " " + choice(FOOD)                  # starts with a literal quote
            elif r < 0.0351:
                name = choice(ADJ) + " " + choice(FOOD) + " " + choice(QUOTED)  # ends with one
            elif r < 0.0401:
                name = choice(FOOD) + ", " + choice(ADJ) + " " + choice(QUOTED) + " " + choice(FOOD).lower()
            elif r < 0.45:
                name = choice(ADJ) + " " + choice(FOOD)
            elif r < 0.8:
                name = choice(FOOD)
            else:
                name = choice(ADJ) + " " + choice(ADJ).lower() + " " + choice(FOOD).lower()
            # brands
            r = rnd()
            if r < 0.10:
                brand_s = tags = owner = ""
            else:
                i = bisect_left(cum, rnd() * total_w)
                if i >= nb:
                    i = nb - 1
                owner = brand_owner[i]
                if r < 0.15:
                    sib = siblings[i]
                    if len(sib) > 1 and rnd() < 0.7:
                        j = choice(sib)
                    else:
                        j = bisect_left(cum, rnd() * total_w)
                    if j >= nb or j == i:
                        j = (i + 1) % nb
                    brand_s = brands[i] + ", " + brands[j]
                    tags = brand_slugs[i] + "," + brand_slugs[j]
                else:
                    brand_s = brands[i]
                    tags = brand_slugs[i]
            # countries sold in
            r = rnd()
            if home is None or r < 0.15:
                countries = choice(NEIGHBOURS)
            elif r < 0.25:
                countries = home + "," + choice(NEIGHBOURS)
            else:
                countries = home
            # nutrition
            if rnd() < 0.6:
                kcal = int(rnd() * 600)
                nut = (kcal, round(rnd() * 40, 1), round(rnd() * 50, 1), round(rnd() * 30, 1), round(rnd() * 3, 2))
                grade = GRADES[int(rnd() * 5)] if rnd() < 0.7 else ""
                nova = int(rnd() * 4) + 1 if rnd() < 0.5 else ""
            else:
                nut = ("", "", "", "", "")
                grade = nova = ""
            created = 1330000000 + int(rnd() * 460000000)
            # Each product's page, shaped like the export's own url column.
            url = "http://world-en.openfoodfacts.org/product/" + code + "/" + (slug(name + " " + brand_s) if name else "")
            append(template % ((code, url, created, created + int(rnd() * 60000000), name, brand_s, tags, countries, grade, nova, owner) + nut))
        out.write("".join(rows))
    out.flush()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(1)
