import BDSCore
import BDSStore
import Foundation

/// The refresh summary as text: per source what was read and set aside, the notes, the diff.
extension RefreshCommand {
    /// Set-aside records shown per source without `--verbose`.
    static let setAsideShown = 10

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
        for d in s.dropped {
            let copy = d.keptCopyOf.map { "kept copy of \($0) \(s.dryRun ? "would be " : "")deleted" } ?? "no kept copy"
            let rest = d.rebuilt ? "built again from its definition" : s.dryRun ? "would be left out" : "left out"
            print("\(d.id): dropped on purpose (\(copy); \(rest))")
        }
        for src in s.report.sources where !src.setAside.isEmpty {
            let shown = verbose ? src.setAside[...] : src.setAside.prefix(Self.setAsideShown)
            print("\(src.id): set aside:")
            for r in shown { print("  \(r)") }
            if shown.count < src.setAside.count {
                print("  … and \(src.setAside.count - shown.count) more (--verbose lists them; --json has every one)")
            }
        }
        let counts = s.report.noteCounts
        if !counts.isEmpty {
            print("")
            print(verbose ? "Notes:" : "Notes (--verbose lists each one):")
            for c in counts {
                print("  \(c.source.map { $0 + ": " } ?? "")\(c.count) \(c.kind.summary)")
                if verbose {
                    for n in s.report.notes where n.source == c.source && n.kind == c.kind { print("    \(n.message)") }
                }
            }
            if s.report.notesDropped > 0 { print("  … and \(s.report.notesDropped) more notes, not kept") }
        }
        if !s.report.contradictions.isEmpty {
            // Always listed in full: each is a claim the store does not follow (docs/IDENTITY.md).
            print("")
            print("Ownership contradictions (each source's claim is not followed; answers show both sides):")
            for c in s.report.contradictions { print("  \(c.source): [\(c.kind.rawValue)] \(c.message)") }
        }
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
