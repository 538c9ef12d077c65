/// Renders row values by their SQL type as ksqlDB's `ApiJsonMapper` does (notes §7).
extension Array where Element == UInt8 {
    /// Writes `[v1,v2,…]` for a row.
    mutating func writeRow(_ values: [EmulatorValue], types: [EmulatorType]) {
        writeInteger(UInt8(ascii: "["))
        for index in values.indices {
            if index > 0 { writeInteger(UInt8(ascii: ",")) }
            writeValue(values[index], type: types[index], insideStruct: false)
        }
        writeInteger(UInt8(ascii: "]"))
    }

    /// Values nested in a STRUCT go through Kafka Connect's JsonConverter: temporal types become
    /// numbers and decimals lose trailing zeros (they are re-read as doubles).
    mutating func writeValue(_ value: EmulatorValue, type: EmulatorType, insideStruct: Bool) {
        switch value {
        case .null:
            writeStaticString("null")
        case .boolean(let flag):
            if flag { writeStaticString("true") } else { writeStaticString("false") }
        case .int(let number):
            guard !insideStruct else {
                writeDecimalInteger(number)
                return
            }
            switch type {
            case .timestamp:
                writeQuoted(atMost: EmulatorCalendar.maxTimestampBytes) { EmulatorCalendar.writeTimestamp(number, into: &$0) }
            case .date:
                writeQuoted(atMost: EmulatorCalendar.maxDateBytes) { EmulatorCalendar.writeDate(days: number, into: &$0) }
            case .time:
                writeQuoted(atMost: EmulatorCalendar.maxTimeBytes) { EmulatorCalendar.writeTime(millisOfDay: number, into: &$0) }
            case .double:
                writeJavaDouble(Double(number))
            default:
                writeDecimalInteger(number)
            }
        case .double(let number):
            writeJavaDouble(number)
        case .decimal(let unscaled, let valueScale):
            var scale = Int(valueScale)
            var digits = unscaled
            if case .decimal(_, let typeScale) = type {
                (digits, scale) = EmulatorDecimal.rescale(unscaled: unscaled, from: scale, to: typeScale)
            }
            if insideStruct {
                writeJavaDouble(EmulatorDecimal.double(unscaled: digits, scale: scale))
            } else {
                writeDecimal(unscaled: digits, scale: scale)
            }
        case .string(let text):
            writeJSONString(text)
        case .bytes(let bytes):
            writeInteger(UInt8(ascii: "\""))
            writeBase64(bytes)
            writeInteger(UInt8(ascii: "\""))
        case .array(let elements):
            var elementType = EmulatorType.string
            if case .array(let declared) = type { elementType = declared }
            writeInteger(UInt8(ascii: "["))
            for index in elements.indices {
                if index > 0 { writeInteger(UInt8(ascii: ",")) }
                writeValue(elements[index], type: elementType, insideStruct: insideStruct)
            }
            writeInteger(UInt8(ascii: "]"))
        case .map(let entries):
            var valueType = EmulatorType.string
            if case .map(_, let declared) = type { valueType = declared }
            writeInteger(UInt8(ascii: "{"))
            for index in entries.indices {
                if index > 0 { writeInteger(UInt8(ascii: ",")) }
                writeJSONString(entries[index].key)
                writeInteger(UInt8(ascii: ":"))
                writeValue(entries[index].value, type: valueType, insideStruct: insideStruct)
            }
            writeInteger(UInt8(ascii: "}"))
        case .structure(let fieldValues):
            var fields: [EmulatorField] = []
            if case .structure(let declared) = type { fields = declared }
            writeInteger(UInt8(ascii: "{"))
            for index in fields.indices {
                if index > 0 { writeInteger(UInt8(ascii: ",")) }
                writeJSONString(fields[index].name)
                writeInteger(UInt8(ascii: ":"))
                let fieldValue = index < fieldValues.count ? fieldValues[index] : .null
                writeValue(fieldValue, type: fields[index].type, insideStruct: true)
            }
            writeInteger(UInt8(ascii: "}"))
        }
    }

    /// `"…"` around what `write` writes in at most `maxCount` bytes.
    private mutating func writeQuoted(atMost maxCount: Int, _ write: (inout ByteCursor) -> Void) {
        append(atMost: maxCount + 2) { cursor in
            cursor.write(UInt8(ascii: "\""))
            write(&cursor)
            cursor.write(UInt8(ascii: "\""))
        }
    }

    /// Standard base64 with padding (Jackson's default for byte arrays).
    mutating func writeBase64(_ bytes: [UInt8]) {
        let alphabet: StaticString = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        alphabet.withUTF8Buffer { table in
            var index = 0
            while index + 3 <= bytes.count {
                let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
                writeInteger(table[Int(chunk >> 18 & 63)])
                writeInteger(table[Int(chunk >> 12 & 63)])
                writeInteger(table[Int(chunk >> 6 & 63)])
                writeInteger(table[Int(chunk & 63)])
                index += 3
            }
            let remaining = bytes.count - index
            if remaining == 1 {
                let chunk = UInt32(bytes[index]) << 16
                writeInteger(table[Int(chunk >> 18 & 63)])
                writeInteger(table[Int(chunk >> 12 & 63)])
                writeStaticString("==")
            } else if remaining == 2 {
                let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
                writeInteger(table[Int(chunk >> 18 & 63)])
                writeInteger(table[Int(chunk >> 12 & 63)])
                writeInteger(table[Int(chunk >> 6 & 63)])
                writeInteger(UInt8(ascii: "="))
            }
        }
    }
}
