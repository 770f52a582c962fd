package io.micromodels.data;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The CSV reader behind {@link Table}: RFC 4180 plus what real files contain.
 *
 * <p>Why not DataVec's {@code CSVRecordReader}: it is a {@code LineRecordReader}, so a quoted field containing a line
 * break is split into two records; it keeps a UTF-8 byte-order mark as part of the first header name
 * ({@code "\uFEFFdate"}); it does not check that every row has the header's number of fields; and its errors carry no
 * file name or line number. Those are exactly the shapes this project must parse or reject clearly, so this small
 * reader does the parsing and the rest of the pipeline runs on DataVec.
 *
 * <p>Rules: a leading UTF-8 BOM is skipped; records end at LF, CRLF or CR; fields are separated by the configured
 * character; a field starting with {@code "} is quoted: separators and line breaks inside are literal and {@code ""} is
 * one quote; a quote inside an unquoted field is literal ({@code 5'10"}); completely empty lines are skipped (so a
 * trailing newline or blank lines at the end are fine). Every record keeps the 1-based line number where it starts.
 */
final class CsvParser {
    private CsvParser() {
    }

    /** Decodes strict UTF-8; a malformed byte is a {@link DataException} naming the source and byte offset. */
    static String decodeUtf8(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new DataException(source + ": not valid UTF-8 near byte " + in.position()
                    + " (save the file as UTF-8)");
        }
    }

    /** Parses a whole CSV text into a table; header names are stripped of surrounding whitespace. */
    static Table parse(String text, String source, char separator) {
        int n = text.length();
        int pos = 0;
        if (n > 0 && text.charAt(0) == '\uFEFF') {
            pos = 1;
        }
        int line = 1;
        List<String[]> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        while (pos < n) {
            int recordLine = line;
            fields.clear();
            boolean anyQuoted = false;
            boolean endOfRecord = false;
            while (!endOfRecord) {
                if (pos < n && text.charAt(pos) == '"') {
                    anyQuoted = true;
                    int quoteLine = line;
                    pos++;
                    sb.setLength(0);
                    while (true) {
                        if (pos >= n) {
                            throw new DataException(source + ": line " + quoteLine + ", column " + (fields.size() + 1)
                                    + ": a quoted field is never closed (missing closing \")");
                        }
                        char c = text.charAt(pos);
                        if (c == '"') {
                            if (pos + 1 < n && text.charAt(pos + 1) == '"') {
                                sb.append('"');
                                pos += 2;
                                continue;
                            }
                            pos++;
                            break;
                        }
                        if (c == '\n' || (c == '\r' && (pos + 1 >= n || text.charAt(pos + 1) != '\n'))) {
                            line++;
                        }
                        sb.append(c);
                        pos++;
                    }
                    // Only blanks may sit between a closing quote and the separator or line end.
                    while (pos < n && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t') && text.charAt(pos) != separator) {
                        pos++;
                    }
                    if (pos < n && text.charAt(pos) != separator && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                        throw new DataException(source + ": line " + line + ", column " + (fields.size() + 1)
                                + ": unexpected character '" + text.charAt(pos) + "' after a closing quote (expected "
                                + DataOptions.printable(separator) + " or end of line; write a quote inside a quoted field as \"\")");
                    }
                    fields.add(sb.toString());
                } else {
                    int start = pos;
                    while (pos < n) {
                        char c = text.charAt(pos);
                        if (c == separator || c == '\n' || c == '\r') {
                            break;
                        }
                        pos++;
                    }
                    fields.add(text.substring(start, pos));
                }
                if (pos >= n) {
                    endOfRecord = true;
                } else {
                    char c = text.charAt(pos);
                    if (c == separator) {
                        pos++;
                        if (pos >= n) {
                            fields.add("");
                            endOfRecord = true;
                        }
                    } else {
                        pos++;
                        if (c == '\r' && pos < n && text.charAt(pos) == '\n') {
                            pos++;
                        }
                        line++;
                        endOfRecord = true;
                    }
                }
            }
            if (fields.size() == 1 && !anyQuoted && fields.get(0).isEmpty()) {
                continue; // an empty line
            }
            records.add(fields.toArray(new String[0]));
            lines.add(recordLine);
        }
        if (records.isEmpty()) {
            throw new DataException(source + ": the file is empty (expected a header row and data rows)");
        }
        String[] rawHeader = records.get(0);
        List<String> header = new ArrayList<>(rawHeader.length);
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rawHeader.length; i++) {
            String name = rawHeader[i].strip();
            if (name.isEmpty()) {
                throw new DataException(source + ": line " + lines.get(0) + ": header column " + (i + 1)
                        + " has no name (every column needs a name)");
            }
            Integer before = seen.put(name, i);
            if (before != null) {
                throw new DataException(source + ": line " + lines.get(0) + ": duplicate column name '" + name
                        + "' (columns " + (before + 1) + " and " + (i + 1) + ")");
            }
            header.add(name);
        }
        if (records.size() == 1) {
            throw new DataException(source + ": the file has a header (" + String.join(", ", header)
                    + ") but no data rows");
        }
        List<String[]> rows = new ArrayList<>(records.size() - 1);
        int[] rowLines = new int[records.size() - 1];
        for (int r = 1; r < records.size(); r++) {
            String[] rec = records.get(r);
            if (rec.length != header.size()) {
                throw new DataException(source + ": line " + lines.get(r) + " has " + rec.length + " column"
                        + (rec.length == 1 ? "" : "s") + ", expected " + header.size() + " (header: "
                        + String.join(", ", header) + ")" + separatorHint(header, separator));
            }
            rows.add(rec);
            rowLines[r - 1] = lines.get(r);
        }
        return new Table(source, header, rows, rowLines, separator);
    }

    /** A hint when the header looks split with another separator. */
    static String separatorHint(List<String> header, char separator) {
        if (header.size() != 1) {
            return "";
        }
        String h = header.get(0);
        for (char c : new char[] {';', ',', '\t', '|'}) {
            if (c != separator && h.indexOf(c) >= 0) {
                return "; the header has a single column containing " + DataOptions.printable(c)
                        + ": is the separator " + DataOptions.printable(c) + "?";
            }
        }
        return "";
    }
}
