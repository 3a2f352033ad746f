import BDSStore
import Foundation

/// The refresh summary as text: per source what was read and set aside, the notes, the diff.
extension RefreshCommand {
    func printText(_ s: Summary) {
        for src in s.report.sources {
            let inserted = src.inserted.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            var line = "\(src.id): \(src.records) records → \(inserted.isEmpty ? "nothing" : inserted)"
            if src.skipped > 0 { line += " (\(src.skipped) skipped)" }
            if src.invalid > 0 { line += " (\(src.invalid) invalid records set aside, listed below)" }
            if src.nonProductCodes > 0 {
                line += " (\(src.nonProductCodes) in-store, book or coupon codes not stored: no lookup reads them)"
            }
            if let how = s.fetched[src.id] { line += " [\(how)]" }
            print(line)
        }
        for r in s.report.invalidRecords.prefix(50) { print("invalid: \(r)") }
        let invalidTotal = s.report.sources.reduce(0) { $0 + $1.invalid }
        if invalidTotal > 50 { print("invalid: … and \(invalidTotal - 50) more (all of them with --json, up to 200)") }
        for w in s.report.warnings { print("note: \(w)") }
        if s.report.warningsDropped > 0 { print("note: … and \(s.report.warningsDropped) more") }
        if let diff = s.diff {
            print("")
            diff.lines.forEach { print($0) }
        }
        if s.report.namesakes > 0 || s.report.ownershipConflicts > 0 || s.report.derivedShortNames > 0 {
            print(
                "Identity: \(s.report.derivedShortNames) short names derived, \(s.report.namesakes) namesakes kept apart, "
                    + "\(s.report.ownershipConflicts) ownership rows not added over another source's (docs/IDENTITY.md)")
        }
        if s.dryRun {
            print(
                String(
                    format: "Dry run: built and checked in %.2f s; nothing was swapped in, %@ is unchanged.", s.seconds, s.store))
        } else {
            print(String(format: "Built %@ in %.2f s.", s.store, s.seconds))
        }
    }
}
