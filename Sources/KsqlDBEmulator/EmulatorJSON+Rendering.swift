extension EmulatorJSON {
    /// Compact rendering (no spaces), as ksqlDB's Jackson mapper writes response bodies.
    func write(into buffer: inout [UInt8]) {
        switch self {
        case .null: buffer.writeStaticString("null")
        case .bool(let flag): if flag { buffer.writeStaticString("true") } else { buffer.writeStaticString("false") }
        case .number(let text): buffer.writeString(text)
        case .string(let text): buffer.writeJSONString(text)
        case .array(let elements):
            buffer.writeInteger(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                element.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let members):
            buffer.writeInteger(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                buffer.writeJSONString(member.0)
                buffer.writeInteger(UInt8(ascii: ":"))
                member.1.write(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
    }

    var rendered: String {
        var buffer: [UInt8] = []
        write(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    static func int(_ value: Int) -> EmulatorJSON { .number(String(value)) }
}
