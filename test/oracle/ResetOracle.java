/*
 * The oracle of the offsets differential test: Kafka's own `kafka-consumer-groups --reset-offsets`
 * (ConsumerGroupCommand of the kafka-tools jar, at the lab brokers' version), run in-process in a loop
 * so that thousands of cases cost one JVM start. Compiled by test/support/oracle.ts with javac at test time.
 *
 * It lives in the tool's package because ConsumerGroupService is package-private. Protocol: one JSON
 * object a line on stdin, one answer a line on stdout (the tool's own prints are captured per case):
 *   {"id":1,"op":"reset","args":["--bootstrap-server",...]}  -> {"id":1,"ok":true,"offsets":{"g":{"t:0":5}},"out":"..."}
 *   {"id":2,"op":"datetime","values":["2026-01-01T00:00:00.000"]} -> {"id":2,"ok":true,"results":[{"ms":...}|{"error":...}]}
 *   {"id":3,"op":"duration","values":["PT1H"]} -> {"id":3,"ok":true,"results":[{"nanos":"..."}|{"error":...}]}
 * A failing case answers {"ok":false,"error":"<class>: <message>","out":"..."}; the tool's exits become errors.
 */
package org.apache.kafka.tools.consumer.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.utils.Utils;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

public class ResetOracle {
    /** The tool's System.exit, turned into an exception so the loop survives a refused case. */
    static final class ToolExit extends RuntimeException {
        ToolExit(int code, String message) {
            super("exit " + code + (message == null ? "" : ": " + message));
        }
    }

    /** One Admin for every case: the service would otherwise connect anew each time. */
    static Admin shared;

    static final class Service extends ConsumerGroupCommand.ConsumerGroupService {
        Service(ConsumerGroupCommandOptions opts) {
            super(opts, Map.of());
        }

        @Override
        protected Admin createAdminClient(Map<String, String> configOverrides) {
            return shared;
        }

        @Override
        public void close() {
            // The shared Admin outlives the case.
        }
    }

    public static void main(String[] argv) throws Exception {
        Exit.setExitProcedure((code, message) -> {
            throw new ToolExit(code, message);
        });
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, argv[0]);
        shared = Admin.create(props);
        ObjectMapper json = new ObjectMapper();
        PrintStream realOut = System.out;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        realOut.println("{\"ready\":true}");
        realOut.flush();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            JsonNode req = json.readTree(line);
            ObjectNode answer = json.createObjectNode();
            answer.set("id", req.get("id"));
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                switch (req.get("op").asText()) {
                    case "reset":
                        reset(req, answer);
                        break;
                    case "datetime":
                        datetimes(req, answer);
                        break;
                    case "duration":
                        durations(req, answer);
                        break;
                    default:
                        throw new IllegalArgumentException("unknown op " + req.get("op"));
                }
                answer.put("ok", true);
            } catch (Throwable e) {
                Throwable root = e;
                while (root.getCause() != null && root.getCause() != root) root = root.getCause();
                answer.put("ok", false);
                answer.put("error", root.getClass().getSimpleName() + ": " + root.getMessage());
            } finally {
                System.out.flush();
                System.setOut(realOut);
            }
            answer.put("out", captured.toString(StandardCharsets.UTF_8));
            realOut.println(json.writeValueAsString(answer));
            realOut.flush();
        }
        shared.close();
    }

    static void reset(JsonNode req, ObjectNode answer) {
        List<String> args = new ArrayList<>();
        req.get("args").forEach(a -> args.add(a.asText()));
        ConsumerGroupCommandOptions opts = ConsumerGroupCommandOptions.fromArgs(args.toArray(new String[0]));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> result;
        try (Service service = new Service(opts)) {
            result = service.resetOffsets();
        }
        ObjectNode groups = answer.putObject("offsets");
        result.forEach((group, offsets) -> {
            ObjectNode g = groups.putObject(group);
            offsets.forEach((tp, om) -> g.put(tp.topic() + ":" + tp.partition(), om.offset()));
        });
        // The table exactly as the tool prints it, for the layout comparison.
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        PrintStream before = System.out;
        System.setOut(new PrintStream(table, true, StandardCharsets.UTF_8));
        try {
            ConsumerGroupCommand.printOffsetsToReset(result);
        } finally {
            System.out.flush();
            System.setOut(before);
        }
        answer.put("table", table.toString(StandardCharsets.UTF_8));
    }

    static void datetimes(JsonNode req, ObjectNode answer) {
        ArrayNode results = answer.putArray("results");
        req.get("values").forEach(v -> {
            ObjectNode r = results.addObject();
            try {
                r.put("ms", Utils.getDateTime(v.asText()));
            } catch (Exception e) {
                r.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        });
    }

    /** As the tool reads --by-duration: java.time.Duration.parse. */
    static void durations(JsonNode req, ObjectNode answer) {
        ArrayNode results = answer.putArray("results");
        req.get("values").forEach(v -> {
            ObjectNode r = results.addObject();
            try {
                Duration d = Duration.parse(v.asText());
                r.put("nanos", d.toNanos() + "");
            } catch (Exception e) {
                r.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        });
    }
}
