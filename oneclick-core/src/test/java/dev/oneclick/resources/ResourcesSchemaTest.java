package dev.oneclick.resources;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oneclick.errors.InvalidInputException;
import dev.oneclick.errors.InvalidNameException;
import dev.oneclick.naming.ResourceNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourcesSchemaTest {
    private static final String G = "3f2b8c1e-9d4a-4e6b-8a7c-1234567890ab";

    /** The payload of the plan's notify example, with a real GUID. */
    private static final String PLAN_EXAMPLE = "{\n"
            + "  \"s3Bucket\": \"tmux-builder-" + G + "\",\n"
            + "  \"cloudFrontId\": \"E1234567890\",\n"
            + "  \"cloudFrontUrl\": \"https://d123.cloudfront.net\",\n"
            + "  \"region\": \"us-east-1\"\n"
            + "}";

    private static final String FULL = "{"
            + "\"s3Bucket\": \"tmux-builder-" + G + "\","
            + "\"cloudFrontId\": \"E2QWRUHAPOMQZL\","
            + "\"cloudFrontArn\": \"arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL\","
            + "\"cloudFrontUrl\": \"https://d111111abcdef8.cloudfront.net\","
            + "\"siteUrl\": \"https://d111111abcdef8.cloudfront.net/index.html?x=1#top\","
            + "\"originAccessControlId\": \"E3OAC123ABC\","
            + "\"region\": \"eu-central-1\","
            + "\"ecsCluster\": \"tmux-" + G + "\","
            + "\"ecsService\": \"arn:aws:ecs:us-east-1:123456789012:service/cluster-1/svc_1\","
            + "\"rdsEndpoint\": \"db1.abcdefghij.us-east-1.rds.amazonaws.com:5432\","
            + "\"albDnsName\": \"my-alb-1234567890.us-east-1.elb.amazonaws.com\","
            + "\"ecrRepositories\": [\"tmux-" + G + "-backend\", \"tmux-" + G + "-frontend\"],"
            + "\"customThing\": {\"nested\": [1, 2.5, true, null, \"x\"], \"deep\": {\"a\": 1}},"
            + "\"deployCount\": 3"
            + "}";

    @Test
    void validate_whenPlanExamplePayload_passes() {
        assertDoesNotThrow(() -> ResourcesSchema.validate(PLAN_EXAMPLE));
        assertEquals(List.of(), ResourcesSchema.errors(PLAN_EXAMPLE));
    }

    @Test
    void validate_whenEveryKnownKeyAndUnknownKeys_passes() {
        assertEquals(List.of(), ResourcesSchema.errors(FULL));
        assertDoesNotThrow(() -> ResourcesSchema.validate(AwsResources.fromJson(FULL)));
    }

    @Test
    void validate_whenLocalhostUrl_passes() {
        assertEquals(List.of(), ResourcesSchema.errors("{\"siteUrl\": \"http://127.0.0.1:8080/\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e126", "1e308", "-1e126", "1e-131", "-1e-131",
            "123456789012345678901234567890123456789", "1.23456789012345678901234567890123456789",
            "1e99999"})
    void validate_whenNumberDynamoDbCannotStore_namesTheField(String number) {
        List<String> errors = ResourcesSchema.errors("{\"region\": \"us-east-1\", \"n\": {\"deep\": [" + number + "]}}");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("$.n.deep[0]:") || errors.get(0).contains("n.deep[0]")
                || errors.get(0).contains("/n/deep/0"), errors.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0.0", "-0", "1e-130", "9.9999999999999999999999999999999999999e125",
            "12345678901234567890123456789012345678", "1.5e-100", "-42", "100000000000000000000000000000000000000000"})
    void validate_whenNumberDynamoDbStores_passes(String number) {
        assertEquals(List.of(), ResourcesSchema.errors("{\"n\": " + number + ", \"l\": [" + number + "]}"));
    }

    @Test
    void validate_whenPlainHttpUrlOfAPublicHost_isRefused() {
        assertEquals(1, ResourcesSchema.errors("{\"cloudFrontUrl\": \"http://d111.cloudfront.net\"}").size());
        assertEquals(1, ResourcesSchema.errors("{\"apiUrl\": \"javascript:alert(1)\"}").size());
        assertEquals(List.of(), ResourcesSchema.errors("{\"apiUrl\": \"http://localhost:8080/api\"}"));
    }

    /** A full stack's record as the steps write it from moto's and AWS's answers. */
    @Test
    void validate_whenFullStackKeys_passes() {
        AwsResources r = AwsResources.builder()
                .imageUri("123456789012.dkr.ecr.us-east-1.amazonaws.com/tmux-0f8e-backend@sha256:"
                        + "a".repeat(64))
                .taskDefinitionArn("arn:aws:ecs:us-east-1:123456789012:task-definition/tmux-0f8e-backend:3")
                .logGroup("/oneclick/tmux-0f8e")
                .executionRoleArn("arn:aws:iam::123456789012:role/tmux-0f8e-execution")
                .vpcId("vpc-0123456789abcdef0")
                .subnetIds(List.of("subnet-0123456789abcdef0", "subnet-89abcdef"))
                .securityGroupIds(java.util.Map.of("alb", "sg-0123456789abcdef0", "tasks", "sg-01234567",
                        "db", "sg-89abcdef"))
                .albArn("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/tmux-0f8e/50dc6c495c0c9188")
                .targetGroupArn("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/tmux-0f8e/"
                        + "73e2d6bc24d8a067")
                .listenerArn("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/tmux-0f8e/"
                        + "50dc6c495c0c9188/f2f7dc8efc522ab2")
                .originSecretSha256("0".repeat(64))
                .rdsInstanceId("tmux-0f8e")
                .dbSubnetGroup("tmux-0f8e-db")
                .dbSecretArn("arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1234-AbCdEf")
                .dbFinalSnapshotId("tmux-0f8e-final-20261207t0700z")
                .apiUrl("https://d111111abcdef8.cloudfront.net/api/")
                .rdsEndpoint("tmux-0f8e.abc.us-east-1.rds.amazonaws.com:5432")
                .albDnsName("tmux-0f8e-1234.us-east-1.elb.amazonaws.com")
                .build();
        assertEquals(List.of(), ResourcesSchema.errors(r.toJson()));
        assertEquals(List.of("subnet-0123456789abcdef0", "subnet-89abcdef"), r.subnetIds());
        assertEquals("sg-89abcdef", r.securityGroupIds().get("db"));
    }

    @Test
    void validate_whenFullStackValuesMalformed_namesEach() {
        String json = "{\"imageUri\": \"no registry\", \"albArn\": \"arn:aws:s3:::x\", "
                + "\"securityGroupIds\": {\"alb\": \"vpc-123\"}, \"originSecretSha256\": \"plain-secret\", "
                + "\"dbSecretArn\": \"hunter2\"}";
        assertEquals(5, ResourcesSchema.errors(json).size(), ResourcesSchema.errors(json).toString());
    }

    @Test
    void validate_whenEmptyObject_passes() {
        assertEquals(List.of(), ResourcesSchema.errors("{}"));
    }

    @Test
    void fromJson_whenUnknownKeys_keepsThemThroughToJson() {
        AwsResources r = AwsResources.fromJson(FULL);
        AwsResources again = AwsResources.fromJson(r.toJson());
        assertEquals(r, again);
        assertEquals(Map.of("nested", List.of(1L, new java.math.BigDecimal("2.5"), true,
                        // list nulls are kept in the record (and by the tracker, as DynamoDB NULL)
                        "x"), "deep", Map.of("a", 1L)).get("deep"),
                ((Map<?, ?>) r.get("customThing").orElseThrow()).get("deep"));
        assertEquals(3L, r.get("deployCount").orElseThrow());
        assertTrue(again.toJson().contains("\"customThing\":{\"nested\":[1,2.5,true,null,\"x\"]"), again.toJson());
        assertEquals(List.of(), ResourcesSchema.errors(again.toJson()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "s3Bucket|\"Tmux-Builder\"|$.s3Bucket: does not match the regex pattern",
        "s3Bucket|\"tmux_builder\"|$.s3Bucket: does not match the regex pattern",
        "s3Bucket|\"xn--tmux\"|$.s3Bucket: does not match the regex pattern",
        "s3Bucket|\"a..b\"|$.s3Bucket: does not match the regex pattern",
        "s3Bucket|\"192.168.0.1\"|$.s3Bucket: does not match the regex pattern",
        "s3Bucket|\"ab\"|$.s3Bucket: must be at least 3 characters long",
        "s3Bucket|12|$.s3Bucket: integer found, string expected",
        "cloudFrontId|\"d123\"|$.cloudFrontId: does not match the regex pattern",
        "cloudFrontId|\"E12345678901234567890123456789012345\"|$.cloudFrontId: must be at most 32 characters long",
        "cloudFrontUrl|\"ftp://d123.cloudfront.net\"|$.cloudFrontUrl: does not match the regex pattern",
        "cloudFrontUrl|\"javascript:alert(1)\"|$.cloudFrontUrl: does not match the regex pattern",
        "siteUrl|\"https://x y\"|$.siteUrl: does not match the regex pattern",
        "region|\"US-EAST-1\"|$.region: does not match the regex pattern",
        "region|\"us-east\"|$.region: does not match the regex pattern",
        "ecsCluster|\"my cluster\"|$.ecsCluster: does not match the regex pattern",
        "ecsService|\"svc;rm\"|$.ecsService: does not match the regex pattern",
        "rdsEndpoint|\"db..x\"|$.rdsEndpoint: does not match the regex pattern",
        "albDnsName|\"-alb.example.com\"|$.albDnsName: does not match the regex pattern",
        "cloudFrontArn|\"arn:aws:s3:::bucket\"|$.cloudFrontArn: does not match the regex pattern",
        "originAccessControlId|\"oac\"|$.originAccessControlId: does not match the regex pattern",
        "ecrRepositories|\"tmux-backend\"|$.ecrRepositories: string found, array expected",
        "ecrRepositories|[\"Tmux\"]|$.ecrRepositories[0]: does not match the regex pattern",
        "ecrRepositories|[\"ab\", \"ab\"]|$.ecrRepositories: must have only unique items in the array"
    })
    void validate_whenKnownKeyBad_namesThePathInTheError(String key, String value, String expected) {
        String json = "{\"region\": \"us-east-1\", \"" + key + "\": " + value + "}";
        if (key.equals("region")) {
            json = "{\"region\": " + value + "}";
        }
        List<String> errors = ResourcesSchema.errors(json);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith(expected), errors.toString());
        String finalJson = json;
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResourcesSchema.validate(finalJson));
        assertEquals("awsResources", e.field());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** The schema's s3Bucket rule and ResourceNames.checkBucket agree on every reserved form and on good names. */
    @ParameterizedTest
    @ValueSource(strings = {"192.168.1.1", "xn--abc", "sthree-abc", "amzn-s3-demo-x", "abc-s3alias", "abc--ol-s3",
        "abc.mrap", "abc--x-s3", "abc--table-s3", "ab", "abc-", "-abc", "a..b", "Abc", "a_b"})
    void validate_whenBucketNameBreaksAnS3Rule_refusesItLikeResourceNames(String bucket) {
        assertThrows(InvalidNameException.class, () -> ResourceNames.checkBucket(bucket));
        List<String> errors = ResourcesSchema.errors("{\"s3Bucket\": \"" + bucket + "\"}");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("$.s3Bucket: "), errors.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my.bucket-1", "tmux-builder-" + G, "s3alias-first", "a-s3alias-b", "x.mrap.y",
        "1.2.3.4.5", "xn-a"})
    void validate_whenBucketNameKeepsEveryS3Rule_acceptsItLikeResourceNames(String bucket) {
        assertEquals(bucket, ResourceNames.checkBucket(bucket));
        assertEquals(List.of(), ResourcesSchema.errors("{\"s3Bucket\": \"" + bucket + "\"}"));
    }

    @Test
    void validate_whenSeveralFieldsBad_listsEachPath() {
        String json = "{\"s3Bucket\": \"BAD\", \"region\": \"nowhere\", \"cloudFrontId\": 5}";
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResourcesSchema.validate(json));
        assertTrue(e.getMessage().contains("3 errors"), e.getMessage());
        assertTrue(e.getMessage().contains("$.s3Bucket: does not match the regex pattern"), e.getMessage());
        assertTrue(e.getMessage().contains("$.region: does not match the regex pattern"), e.getMessage());
        assertTrue(e.getMessage().contains("$.cloudFrontId: integer found, string expected"), e.getMessage());
        assertEquals(3, ResourcesSchema.errors(json).size());
    }

    @Test
    void validate_whenRecordHasBadField_namesIt() {
        AwsResources r = AwsResources.builder().s3Bucket("UPPER").region("us-east-1").build();
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResourcesSchema.validate(r));
        assertEquals("awsResources", e.field());
        assertTrue(e.getMessage().contains("$.s3Bucket"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"s3Bucket\": \"abc\"}]", "\"tmux\"", "42", "true", "null"})
    void errors_whenNotAnObject_saysAnObjectIsExpected(String json) {
        List<String> errors = ResourcesSchema.errors(json);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("$: "), errors.toString());
        assertTrue(errors.get(0).contains("object expected"), errors.toString());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ResourcesSchema.validate(json));
        assertEquals("awsResources", e.field());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{\"s3Bucket\": }", "not json", "{} {}", "{\"a\": 1, \"a\": 2}"})
    void errors_whenNotParseable_saysItDoesNotParse(String json) {
        List<String> errors = ResourcesSchema.errors(json);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("$: the resources JSON does not parse"), errors.toString());
    }

    @Test
    void errors_whenNullOrEmptyText_saysItIsMissing() {
        assertTrue(ResourcesSchema.errors(null).get(0).contains("missing"));
        assertTrue(ResourcesSchema.errors("").get(0).contains("empty"));
    }

    @Test
    void errors_whenTooManyKeys_saysTheBound() {
        Map<String, Object> many = new LinkedHashMap<>();
        for (int i = 0; i < 101; i++) {
            many.put("key" + i, "v");
        }
        List<String> errors = ResourcesSchema.errors(AwsResources.fromMap(many).toJson());
        assertEquals(List.of("$: must have at most 100 properties"), errors);
    }

    @Test
    void errors_whenUnknownStringTooLong_namesThePath() {
        String json = "{\"notes\": \"" + "x".repeat(8193) + "\"}";
        assertEquals(List.of("$.notes: must be at most 8,192 characters long"), ResourcesSchema.errors(json));
    }

    @Test
    void errors_whenNestedTooDeep_namesThePath() {
        String ok = "{\"a\": {\"b\": [ {\"c\": 1} ]}}";
        assertEquals(List.of(), ResourcesSchema.errors(ok));
        String deep = "{\"a\": {\"b\": [ {\"c\": [1]} ]}}";
        List<String> errors = ResourcesSchema.errors(deep);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("$.a.b[0].c: array found"), errors.toString());
    }

    @Test
    void errors_whenKeyHasBadCharacters_saysTheNameIsNotValid() {
        List<String> errors = ResourcesSchema.errors("{\"bad key\\n\": 1}");
        assertTrue(errors.size() >= 1, errors.toString());
        assertTrue(errors.get(0).contains("name is not valid"), errors.toString());
        assertTrue(errors.stream().allMatch(m -> m.chars().allMatch(c -> c >= 0x20 && c < 0x7f)), errors.toString());
    }

    @Test
    void errors_whenTextOverTheLimit_refusesWithoutParsing() {
        String huge = "{\"a\": \"" + "x".repeat(ResourcesSchema.MAX_JSON_CHARS) + "\"}";
        List<String> errors = ResourcesSchema.errors(huge);
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("at most 1000000"), errors.toString());
    }

    @Test
    void validate_whenManyErrors_listsAtMost25AndCountsTheRest() {
        List<String> keys = new ArrayList<>();
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 30; i++) {
            keys.add("k" + i);
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\": [[[[1]]]]");
        }
        json.append("}");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ResourcesSchema.validate(json.toString()));
        assertTrue(e.getMessage().contains("... and 5 more"), e.getMessage());
        assertEquals(30, ResourcesSchema.errors(json.toString()).size());
    }

    @Test
    void parse_whenValid_readsTheRecord_andWhenInvalid_throws() {
        assertEquals("us-east-1", ResourcesSchema.parse(PLAN_EXAMPLE).region().orElseThrow());
        assertEquals("awsResources", assertThrows(InvalidInputException.class,
                () -> ResourcesSchema.parse("{\"region\": \"Mars\"}")).field());
    }

    @Test
    void schemaText_whenRead_isTheDraft202012Schema() {
        String text = ResourcesSchema.schemaText();
        assertTrue(text.contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\""));
        assertTrue(text.contains("\"s3Bucket\""));
    }
}
