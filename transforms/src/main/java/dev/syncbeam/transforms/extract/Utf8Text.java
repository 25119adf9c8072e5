package dev.syncbeam.transforms.extract;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Extract bytes to text, telling apart text that was valid UTF-8 from text where invalid bytes
 * were replaced by U+FFFD: a record must not change silently, so a replaced one is counted and named.
 */
final class Utf8Text {
  private Utf8Text() {}

  /** Decoded text and whether any bytes were invalid UTF-8 (and so replaced). */
  record Decoded(String text, boolean replaced) {}

  static Decoded decode(byte[] bytes, int offset, int length) {
    String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
    // the fast decode replaces silently; U+FFFD in its output may also be a real character of the source
    if (text.indexOf('\uFFFD') < 0) return new Decoded(text, false);
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length));
      return new Decoded(text, false);
    } catch (CharacterCodingException e) {
      return new Decoded(text, true);
    }
  }

  /** A streaming decoder that replaces invalid bytes by U+FFFD and remembers that it had to. */
  static final class ReplacingReader extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    private boolean eof;
    private boolean done;
    private boolean pendingReplacement;
    private boolean replaced;

    ReplacingReader(InputStream in) {
      this.in = in;
    }

    /** Whether any invalid bytes were read so far. */
    boolean replacedAny() {
      return replaced;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
      if (len == 0) return 0;
      CharBuffer out = CharBuffer.wrap(cbuf, off, len);
      if (pendingReplacement) {
        out.put('\uFFFD');
        pendingReplacement = false;
      }
      while (out.hasRemaining() && !done) {
        if (!eof && bytes.remaining() < 4) fill();
        CoderResult r = decoder.decode(bytes, out, eof);
        if (r.isError()) {
          replaced = true;
          bytes.position(bytes.position() + r.length());
          if (out.hasRemaining()) out.put('\uFFFD');
          else pendingReplacement = true;
        } else if (r.isOverflow()) {
          break;
        } else if (eof) { // underflow at the end: everything is decoded
          decoder.flush(out);
          done = true;
        } else if (out.position() > off) {
          break; // hand on what there is rather than wait for more input
        } else {
          fill();
        }
      }
      int n = out.position() - off;
      return n == 0 && done ? -1 : n;
    }

    private void fill() throws IOException {
      bytes.compact();
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (n < 0) eof = true;
      else bytes.position(bytes.position() + n);
      bytes.flip();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
