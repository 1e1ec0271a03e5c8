package sluice.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;
import software.amazon.event.ruler.Patterns;

/**
 * event-ruler as AWS Lambda's Kafka filter would drive it, for comparison with sluice.
 *
 * <pre>
 *   verdicts PAIRS.jsonl   one line in per case {"p":[patterns],"v":b64|null,"k":b64|null},
 *                          one line out: true, false, or "error ..." (pattern rejected)
 *   bench DATA_DIR [S]     docs/s for 1, 5, 10 patterns on docs_200/docs_1k.jsonl
 * </pre>
 *
 * A record part (value or key) is matched as JSON when its bytes are one valid JSON value,
 * else as a string (bytes decoded as UTF-8 with replacement). The event handed to
 * event-ruler is {"value": ..., "key": ...} with null parts left out. Lambda's rule that
 * an object pattern never matches a non-JSON value is applied by dropping the alternatives
 * (event-ruler's sub-rules) that name a field under that part.
 */
public final class FilterCompare {
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private FilterCompare() {}

  /** The part as it appears in the event, or null when it is absent. */
  static String eventPart(byte[] bytes, boolean[] isJson) throws Exception {
    isJson[0] = false;
    if (bytes == null) return null;
    if (bytes.length > 0) {
      try {
        JsonNode n = STRICT.readTree(bytes);
        if (n != null && !n.isMissingNode()) {
          isJson[0] = true;
          return new String(bytes, StandardCharsets.UTF_8);
        }
      } catch (Exception e) {
        // not JSON: a string
      }
    }
    return MAPPER.writeValueAsString(new String(bytes, StandardCharsets.UTF_8));
  }

  static boolean verdict(JsonNode patterns, byte[] value, byte[] key) throws Exception {
    boolean[] vj = new boolean[1];
    boolean[] kj = new boolean[1];
    String v = eventPart(value, vj);
    String k = eventPart(key, kj);
    StringBuilder ev = new StringBuilder("{");
    if (v != null) ev.append("\"value\":").append(v);
    if (k != null) ev.append(v != null ? "," : "").append("\"key\":").append(k);
    ev.append('}');

    Machine m = new Machine();
    int added = 0;
    int i = 0;
    for (JsonNode p : patterns) {
      String text = p.isTextual() ? p.asText() : MAPPER.writeValueAsString(p);
      List<Map<String, List<Patterns>>> alts = JsonRuleCompiler.compile(text);
      for (Map<String, List<Patterns>> alt : alts) {
        boolean dead = false;
        for (String field : alt.keySet()) {
          if (v != null && !vj[0] && field.startsWith("value.")) dead = true;
          if (k != null && !kj[0] && field.startsWith("key.")) dead = true;
        }
        if (!dead) {
          m.addPatternRule("p" + i, alt);
          added++;
        }
      }
      i++;
    }
    if (added == 0) return false;
    return !m.rulesForJSONEvent(ev.toString()).isEmpty();
  }

  static byte[] b64(JsonNode n) {
    return n == null || n.isNull() ? null : Base64.getDecoder().decode(n.asText());
  }

  static void verdicts(String file) throws Exception {
    try (BufferedReader in = Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
        BufferedWriter out =
            new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isEmpty()) continue;
        JsonNode c = MAPPER.readTree(line);
        String r;
        try {
          r = verdict(c.get("p"), b64(c.get("v")), b64(c.get("k"))) ? "true" : "false";
        } catch (Exception e) {
          r = "error " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
        out.write(r);
        out.write('\n');
      }
    }
  }

  static void bench(String dir, double seconds) throws Exception {
    System.out.printf("%-12s %-9s %8s %14s %10s %8s%n", "engine", "docs", "patterns", "docs/s",
        "MB/s", "matched");
    for (String docsName : new String[] {"docs_200.jsonl", "docs_1k.jsonl"}) {
      List<String> docs = new ArrayList<>();
      long bytes = 0;
      for (String d : Files.readAllLines(Path.of(dir, docsName), StandardCharsets.UTF_8)) {
        if (d.isEmpty()) continue;
        docs.add("{\"value\":" + d + "}");
        bytes += d.getBytes(StandardCharsets.UTF_8).length;
      }
      for (int n : new int[] {1, 5, 10}) {
        ArrayNode pats = (ArrayNode) MAPPER.readTree(
            Files.readString(Path.of(dir, "patterns_" + n + ".json"), StandardCharsets.UTF_8));
        Machine m = new Machine();
        int i = 0;
        for (JsonNode p : pats) m.addRule("p" + i++, MAPPER.writeValueAsString(p));
        int matched = 0;
        for (String d : docs) matched += m.rulesForJSONEvent(d).isEmpty() ? 0 : 1;
        // Warm-up for the JIT, then the timed loop.
        long warmEnd = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < warmEnd) {
          for (String d : docs) m.rulesForJSONEvent(d);
        }
        long start = System.nanoTime();
        long done = 0;
        long sink = 0;
        double elapsed;
        do {
          for (String d : docs) sink += m.rulesForJSONEvent(d).size();
          done += docs.size();
          elapsed = (System.nanoTime() - start) / 1e9;
        } while (elapsed < seconds);
        double rate = done / elapsed;
        System.out.printf("%-12s %-9s %8d %14.0f %10.1f %8d%n", "event-ruler",
            docsName.startsWith("docs_200") ? "200B" : "1KB", n, rate,
            rate * bytes / docs.size() / 1e6, matched);
        if (sink == Long.MIN_VALUE) System.out.print(" ");
      }
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("verdicts")) {
      verdicts(args[1]);
    } else if (args.length >= 2 && args[0].equals("bench")) {
      bench(args[1], args.length > 2 ? Double.parseDouble(args[2]) : 2.0);
    } else {
      System.err.println("usage: FilterCompare verdicts PAIRS.jsonl | bench DATA_DIR [SECONDS]");
      System.exit(2);
    }
  }
}
