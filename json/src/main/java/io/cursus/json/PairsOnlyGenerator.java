package io.cursus.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;

/**
 * Writes the envelope's parameters with surrogate pairs as four bytes of UTF-8 ({@link
 * JsonGenerator.Feature#COMBINE_UNICODE_SURROGATES_IN_UTF8}), but a text with a lone surrogate with
 * that off, so each of its surrogates is an escape. Jackson combines a high surrogate with whatever
 * character follows it: {@code "\ud800x"} would be written as U+10078, a different text, its {@code
 * x} gone. Not thread-safe: one per envelope written.
 */
final class PairsOnlyGenerator extends JsonGeneratorDelegate {

  PairsOnlyGenerator(JsonGenerator json) {
    super(json, false);
  }

  @Override
  public void writeString(String text) throws IOException {
    if (text != null && hasLoneSurrogate(text, 0, text.length())) {
      delegate.disable(Feature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
      try {
        delegate.writeString(text);
      } finally {
        delegate.enable(Feature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
      }
    } else {
      delegate.writeString(text);
    }
  }

  @Override
  public void writeString(char[] text, int offset, int length) throws IOException {
    if (hasLoneSurrogate(text, offset, offset + length)) {
      delegate.disable(Feature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
      try {
        delegate.writeString(text, offset, length);
      } finally {
        delegate.enable(Feature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
      }
    } else {
      delegate.writeString(text, offset, length);
    }
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    if (hasLoneSurrogate(name, 0, name.length())) {
      delegate.disable(Feature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
      try {
        delegate.writeFieldName(name);
      } finally {
        delegate.enable(Feature.COMBINE_UNICODE_SURROGATES_IN_UTF8);
      }
    } else {
      delegate.writeFieldName(name);
    }
  }

  /** Whether {@code text} from {@code from} to {@code to} has a surrogate that is not in a pair. */
  static boolean hasLoneSurrogate(CharSequence text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < to
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++; // a pair
        } else {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean hasLoneSurrogate(char[] text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text[i];
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text[i + 1])) {
          i++; // a pair
        } else {
          return true;
        }
      }
    }
    return false;
  }
}
