public import BDSCore
import Foundation

/// One importer definition file (`importers/*.toml`): where a source is, its format, and how each
/// record maps into the store. Maintainers add or change sources by editing these files alone.
public struct ImportDefinition: Sendable {
    /// The definition file itself.
    public var path: String
    public var source: SourceInfo
    public var format: FormatSpec
    public var emits: [Emit]

    public struct SourceInfo: Sendable {
        /// Stable identifier, used by `bdscheck refresh SOURCE` and in the `source` table.
        public var id: String
        public var name: String
        /// Where a person can read the source (a page), shown with every row that has no URL of its own.
        public var url: String?
        public var licence: String?
        /// Default retrieval date for rows that carry none (ISO date, may be partial).
        public var retrieved: String?
        /// The data: a local path (relative to the definition file) or an http(s) URL.
        public var location: String
        /// False for sources that are only built on request (large upstream exports).
        public var includedByDefault: Bool
    }

    public struct FormatSpec: Sendable {
        public enum Kind: String, Sendable, CaseIterable { case csv, tsv, xml, json, jsonl }
        public var kind: Kind
        public var delimiter: UInt8
        public var quoting: DelimitedReader.Quoting
        /// Where records are in an XML or JSON document: an element path (`list/entry`) or a key path (`brands.*`).
        public var record: String?
    }

    /// What one input record produces: an entity, an ownership edge, a product, a listing, ….
    public struct Emit: Sendable {
        public var target: Target
        public var fields: [String: FieldSpec]
        /// Skip this emit (not an error) when any of these fields is empty.
        public var skipWhenEmpty: [String]
        /// Create a company or brand when a referenced name is not known yet (instead of failing).
        public var createMissing: CreateMissing?
        /// Applies this emit only to records whose field has one of the given values.
        public var when: Condition?
        /// When true, a record this emit cannot use (an invalid barcode, a bad date, …) is counted
        /// and listed in the build report instead of failing the build: for large exports with a
        /// few broken rows. Nothing is dropped silently.
        public var reportInvalid = false
        /// How the names this emit references may join entities other sources made (docs/IDENTITY.md).
        public var link: LinkMode = .create
        /// Where the emit is declared, for errors.
        public var key: String
        /// The definition file's lines of `[[emit]]` and of its `when`, for errors.
        public var line: Int?
        public var whenLine: Int?
    }

    public enum CreateMissing: String, Sendable { case company, brand }

    /// Fields that take several values: a split cell, a JSON array, a repeated XML element.
    public static var listFields: Set<String> { ListFields.all }

    /// Which records an emit applies to (`when = …` in the definition). Values are compared after
    /// trimming white space around them; a missing field is the empty value.
    public indirect enum Condition: Sendable {
        /// `{ column = "status", equals = "avoid" }` or `{ column = "status", in = ["avoid", "boycott"] }`.
        case equals(column: String, values: Set<String>)
        /// `{ column = "note", prefix = "Response" }` (or a list of prefixes).
        case prefix(column: String, prefixes: [String])
        /// `{ column = "date", matches = "^[0-9]{1,2} [A-Za-z]+ [0-9]{4}$" }`: the regular expression
        /// is found anywhere in the value unless anchored with `^` and `$`.
        case matches(column: String, pattern: String)
        /// `{ column = "end_date", empty = true }`: the field is missing or empty.
        case empty(column: String)
        /// `{ column = "end_date", present = true }`: the field has a value that is not empty.
        case present(column: String)
        /// `{ not = { … } }`.
        case not(Condition)
        /// `{ all = [{ … }, { … }] }`: every condition holds.
        case all([Condition])
        /// `{ any = [{ … }, { … }] }`: at least one condition holds.
        case any([Condition])

    }

    public enum Target: String, Sendable, CaseIterable {
        case company, brand, entity, ownership, product, listing
        case gs1Prefix = "gs1-prefix"
        case gcpLength = "gcp-length"
        case alternative
        /// A maintained identity rule: this source's record (by its key, or its name) is that entity.
        case sameAs = "same-as"
        /// A maintained identity rule: this source's record is not that entity, whatever its name.
        case notSame = "not-same"
        /// Evidence of identity kept by the project: the entity named is this Wikidata item.
        case wikidataItem = "wikidata-item"

        /// Fields this target accepts; required ones first in `required`.
        var required: [String] {
            switch self {
            case .company, .brand: ["name"]
            case .entity: ["name", "kind"]
            case .ownership: ["owned", "owner"]
            case .product: ["gtin"]
            case .listing: ["campaign", "category", "source_url", "retrieved"]
            case .gs1Prefix: ["start", "end", "usage"]
            case .gcpLength: ["prefix", "length"]
            case .alternative: ["for"]
            case .sameAs, .notSame: ["source", "key", "entity", "reason"]
            case .wikidataItem: ["entity", "wikidata"]
            }
        }

        var optional: [String] {
            switch self {
            case .company, .brand: ["country", "note", "aliases", "source_url", "retrieved", "key", "wikidata"]
            case .entity: ["country", "note", "aliases", "source_url", "retrieved", "key", "wikidata"]
            case .ownership:
                ["percent", "note", "source_url", "retrieved", "start_date", "end_date", "owned_wikidata", "owner_wikidata"]
            case .product: ["name", "brand", "brand_owner", "source_url", "retrieved"]
            case .listing: ["target", "target_gtin", "target_gcp", "reasons", "start_date", "end_date", "end_reason"]
            case .gs1Prefix, .gcpLength: []
            case .alternative: ["alternative", "text", "region", "category", "source_url", "retrieved"]
            case .sameAs, .notSame, .wikidataItem: ["source_url", "retrieved"]
            }
        }
    }

    /// How one field's value is obtained from a record.
    public struct FieldSpec: Sendable {
        /// The input column (by header name).
        public var column: String?
        /// A constant value.
        public var value: String?
        /// A value built from the record: `"https://example.org/brand/{id}"`, each `{field}` replaced
        /// by that input field's value (empty when any of them is empty).
        public var template: String?
        /// Used when the column is empty.
        public var defaultValue: String?
        /// Splits the value into a list on this separator (items trimmed, empty items dropped).
        /// (`split = ","`, or several: `split = [",", " "]`, splitting on any of them).
        public var split: [String]?
        public var transforms: [Transform]
        /// Replaces whole values (after transforms); a value missing from the map is an error.
        public var map: [String: String]?
        /// Keeps only the first item of a list (the main brand of "Coca-Cola, Fanta").
        public var first = false
        /// More ways to fill the same field, given as a list in the definition
        /// (`aliases = ["@key", { column = "other_names", split = ";" }]`): a list field takes the
        /// values of all of them in order, a single-value field the first that is not empty.
        public var alternatives: [FieldSpec] = []
        /// The definition file's line where the field is given, for errors.
        public var line: Int?

        public init(
            column: String? = nil, value: String? = nil, template: String? = nil, defaultValue: String? = nil,
            split: [String]? = nil, transforms: [Transform] = [], map: [String: String]? = nil
        ) {
            self.column = column
            self.value = value
            self.template = template
            self.defaultValue = defaultValue
            self.split = split
            self.transforms = transforms
            self.map = map
        }

        /// The input fields a template reads: the names between braces.
        public var templateFields: [String] {
            guard let template else { return [] }
            var out: [String] = []
            var rest = template[...]
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                out.append(String(rest[rest.index(after: open)..<close]))
                rest = rest[rest.index(after: close)...]
            }
            return out
        }
    }

    public enum Transform: String, Sendable, CaseIterable {
        case trim, lower, upper
        /// Removes footnote letters or digits after the final full stop of a name ("Ltd.a" → "Ltd.",
        /// "Inc.12" → "Inc.", "Ltd. a" → "Ltd.").
        case stripFootnotes = "strip-footnotes"
        /// Turns a written date ("17 July 2026", "17 Jul 2026", "July 17, 2026", "17th July 2026",
        /// "July 2026") into an ISO date ("2026-07-17", "2026-07"); ISO dates, full or partial, pass as
        /// they are; anything else (such as the ambiguous "08/12/2025") is an error.
        case date
        /// The same as `date` (its earlier name).
        case isoDate = "iso-date"
        /// The first http(s) URL in a text: a Markdown link or footnote, an HTML `href`, or a bare URL;
        /// empty when there is none.
        case firstURL = "first-url"
        /// Collapses runs of white space to one space.
        case squeeze
    }
}
