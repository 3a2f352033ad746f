/// Keeping inserted text in its own order inside text of the other direction.
///
/// A Latin brand name or a barcode inside Arabic text, or an Arabic name inside English text, is
/// wrapped in FIRST STRONG ISOLATE (U+2068) … POP DIRECTIONAL ISOLATE (U+2069): the terminal or
/// browser lays the inside out by its own first strong letter, and the sentence around it is not
/// reordered by it ("الباركود ⁨0040822011143⁩ …" keeps the code's digits and the sentence's colon
/// where they belong). Text that needs none (a Latin name in English) is left exactly as it was.
public enum Bidi {
    public static let firstStrongIsolate: Character = "\u{2068}"
    public static let popDirectionalIsolate: Character = "\u{2069}"

    /// `text` isolated when the text around it is right-to-left or `text` itself holds
    /// right-to-left letters; unchanged otherwise, and when empty.
    public static func isolate(_ text: String, inRightToLeftText rtl: Bool) -> String {
        guard !text.isEmpty, rtl || containsRightToLeft(text) else { return text }
        return "\u{2068}\(text)\u{2069}"
    }

    /// Whether `text` holds a letter of a right-to-left script (Hebrew, Arabic, Syriac, Thaana,
    /// N'Ko, Samaritan, Mandaic, and their presentation forms).
    public static func containsRightToLeft(_ text: String) -> Bool {
        text.unicodeScalars.contains { s in
            switch s.value {
            case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF: true
            default: false
            }
        }
    }
}
