package dev.cotenant.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TestStackTest {

  @Test
  void brokerCarriesRecordsAndTopicsAreCreatedWithCompaction() throws Exception {
    KafkaBroker kafka = TestStack.get().kafka();
    kafka.createCotenantTopics(2);
    assertThat(kafka.topicNames()).contains("cotenant.job-events", "cotenant.profiles");

    String topic = "stack-test-" + UUID.randomUUID();
    try (var producer =
        new KafkaProducer<String, String>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "k", "hello")).get();
    }
    try (var consumer =
        new KafkaConsumer<String, String>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "stack-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      ConsumerRecord<String, String> record = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (record == null && System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (!records.isEmpty()) {
          record = records.iterator().next();
        }
      }
      assertThat(record).isNotNull();
      assertThat(record.value()).isEqualTo("hello");
    }
  }

  @Test
  void postgresCreatesDatabasesIdempotentlyAndAnswersQueries() throws Exception {
    PostgresServer postgres = TestStack.get().postgres();
    postgres.createDatabase("stack_test");
    postgres.createDatabase("stack_test");
    try (Connection connection = postgres.connect("stack_test");
        ResultSet rs =
            connection.createStatement().executeQuery("select current_database(), version()")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("stack_test");
      assertThat(rs.getString(2)).startsWith("PostgreSQL 17.");
    }
  }

  @Test
  void rejectsDatabaseNamesThatAreNotPlainIdentifiers() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> TestStack.get().postgres().createDatabase("x; drop database postgres"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
