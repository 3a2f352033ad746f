public import BDSCore
import Foundation

/// `bdscheck definitions check`: reads a definition and the first records of its source the way a
/// build would, without building anything, and says what does not fit: a key or column the file
/// lacks, a path that matches nothing in the records read, values the transforms or maps refuse.
public struct DefinitionCheck: Sendable {
    public struct Outcome: Sendable {
        /// Records read (at most the sample size).
        public var records = 0
        /// Whether the whole file was read.
        public var complete = false
        /// What would stop a build: a missing column or path, a malformed file.
        public var problems: [ImportError] = []
        /// Values the definition refuses in the records read (the first few); with
        /// `on-invalid = "report"` a build would set those records aside instead of failing.
        public var valueProblems: [ImportError] = []
        public var valueProblemsCount = 0
    }

    public static let shownValueProblems = 5

    public let sample: Int

    public init(sample: Int = 1000) { self.sample = sample }

    /// Reads up to `sample` records of `definition`'s source at `path`.
    public func run(_ definition: ImportDefinition, path: String, displayPath: String) -> Outcome {
        var outcome = Outcome()
        do {
            let (reader, _) = try StoreBuilder.openReader(definition, path: path, displayPath: displayPath)
            let emits = try RecordImport.bind(definition, reader: reader)
            var presence = FieldPresence(definition: definition, emits: emits, reader: reader)
            var ended = false
            while outcome.records < sample {
                guard try reader.next() else {
                    ended = true
                    break
                }
                outcome.records += 1
                presence.note(reader)
                for bound in emits {
                    do {
                        if let when = bound.when, try !when.holds(reader) { continue }
                        for name in bound.fields.keys.sorted() {
                            let field = bound.fields[name]!
                            if field.isList { _ = try field.list(reader) } else { _ = try field.string(reader) }
                        }
                    } catch let error as ImportError {
                        outcome.valueProblemsCount += 1
                        if outcome.valueProblems.count < Self.shownValueProblems { outcome.valueProblems.append(error) }
                    }
                }
            }
            outcome.complete = try ended || !reader.next()
            try presence.check(
                records: outcome.records, reader: reader, dataFile: displayPath, sampled: !outcome.complete)
        } catch let error as ImportError {
            outcome.problems.append(error)
        } catch {
            outcome.problems.append(ImportError(file: displayPath, message: "\(error)"))
        }
        return outcome
    }
}
