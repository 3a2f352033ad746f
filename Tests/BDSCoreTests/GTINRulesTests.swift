import Testing
@testable import BDSCore

/// The GS1 General Specifications' rules on what a GTIN is, and what to say when a code is not one.
@Suite("GTIN rules and what a mistyped code is told")
struct GTINRulesTests {
    @Test("9 to 11 digits are not a GTIN, and a digit may be missing", arguments: [
        "36000291452", "6094212601", "0306406152", "123456784",
    ])
    func nineToElevenDigits(_ input: String) {
        #expect(throws: GTINError.wrongLength(input.count)) { try GTIN(parsing: input) }
        let message = GTINError.wrongLength(input.count).description
        #expect(message.contains("8, 12, 13 or 14 digits"))
        #expect(message.contains("a digit may be missing"))
    }

    @Test("Data files may still give a UPC-A without its leading zeros")
    func droppedZerosInDataFiles() throws {
        let gtin = try GTIN(parsing: "36000291452", allowingDroppedLeadingZeros: true)
        #expect(gtin.canonical == "036000291452")
    }

    @Test("6- and 7-digit codes are named as a UPC-E missing digits", arguments: [6, 7])
    func shortUPCE(_ count: Int) {
        #expect(GTINError.wrongLength(count).description.contains("UPC-E"))
    }

    @Test("An 8-digit code valid as EAN-8 and as number-system-1 UPC-E is an EAN-8")
    func numberSystemOne() throws {
        let gtin = try GTIN(parsing: "11501299")
        #expect(gtin.format == .ean8)
        #expect(gtin.canonical == "11501299")
    }

    @Test("A mistyped 8-digit code starting 0 is offered as its UPC-E, the in-store EAN-8 named too")
    func upcEOverInStoreEAN8() {
        let error = GTINError.wrongCheckDigit(expected: 4, found: 5, corrected: "04252614")
        #expect(throws: error) { try GTIN(parsing: "04252615") }
        #expect(error.description.contains("UPC-E 04252614"))
        #expect(error.description.contains("04252610, an in-store number"))
        #expect(InputProblem(error).correctedCode == "04252614")
    }

    @Test("A fix that would be an in-store number is not offered as the product", arguments: [
        ("20123458", "20123454"), ("2001234567892", "2001234567893"), ("0412345678904", "0412345678905"),
    ])
    func inStoreFixes(_ typed: String, _ fixed: String) throws {
        do {
            _ = try GTIN(parsing: typed)
            Issue.record("accepted")
        } catch {
            guard case .wrongCheckDigit(_, _, let corrected) = error else { Issue.record("\(error)"); return }
            #expect(!GTINError.correctionIdentifiesProduct(corrected))
            #expect(error.description.contains("in-store"))
            #expect(InputProblem(error).correctedCode == nil)
        }
    }

    @Test("When two swapped neighbours could explain the error, the code is to be checked", arguments: [
        "7290011489382",  // 7290011498382 with 9 and 8 swapped
        "4006381339331",
    ])
    func transposition(_ input: String) {
        do {
            _ = try GTIN(parsing: input)
            Issue.record("accepted")
        } catch {
            #expect(error.description.hasPrefix("check the code"), "\(error.description)")
            #expect(error.description.contains("one possibility"))
        }
    }

    @Test("A lone wrong check digit still gets the suggestion")
    func plainWrongCheckDigit() {
        // 400638133393 with check digit 2: no swap of neighbours makes it valid.
        let error = GTINError.wrongCheckDigit(expected: 1, found: 2, corrected: "4006381333931")
        #expect(!GTINError.swapOfNeighboursIsValid(Array("4006381333932".utf8)))
        #expect(error.description == "check digit should be 1, not 2: probably a mistyped code (did you mean 4006381333931?)")
    }
}
