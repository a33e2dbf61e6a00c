/**
 * S3_NOTIFY=ceph: radosgw pushes to a topic, and botsync creates its own — persistent (radosgw queues the
 * events and retries until botsync answers), `push-endpoint` = botsync's webhook URL, `OpaqueData` = the
 * webhook token, because radosgw's POST carries no credentials but the body's `opaqueData`. Each bucket
 * then gets a TopicConfiguration (id "botsync") for that topic.
 *
 * Which library does what: topics are SNS calls, which the `minio` package does not have, so they go
 * through @aws-sdk/client-sns. The bucket side is the plain S3 notification configuration and goes
 * through the `minio` package's getBucketNotification / setBucketNotification (its TopicConfig expresses a
 * TopicConfiguration); both work against radosgw 16.2.
 *
 * How radosgw 16.2 behaves (measured), and what follows:
 * - a PUT of a bucket's notification configuration adds or updates entries by id and leaves the others
 *   alone, so botsync PUTs only its own entry: re-writing the others would drop radosgw's own filter
 *   extensions (metadata and tag filters), which the S3 model cannot express;
 * - each bucket's notification keeps a copy of the topic as it was when the entry was PUT: after a topic
 *   change, buckets keep pushing to the old endpoint until their entry is PUT again. No API shows that
 *   copy, so subscribe() PUTs botsync's entry of every bucket it is given, even when it looks right (one
 *   request per bucket; an interrupted topic change is thus repaired by the next start);
 * - CreateTopic on an existing topic updates its attributes, and the topic's persistent queue (named
 *   after the topic) is kept with the events in it.
 */
import { CreateTopicCommand, GetTopicAttributesCommand, ListTopicsCommand, SNSClient } from "@aws-sdk/client-sns";
import {
  NOTIFICATION_ID,
  type BucketNotifications,
  type SubscriptionChange,
  type SubscriptionPlan,
  type SubscriptionStatus,
} from "../../core/ports/bucket-notifications.js";
import {
  botsyncEntry,
  credentialsOf,
  entryProblems,
  minioClient,
  readBucketNotification,
  subscriptionError,
  writeBucketNotification,
  type BucketNotificationConfig,
  type SubscriptionServer,
  minioPackage,
} from "./subscription-client.js";

// The pinned SDK supports Node 20; its warning is about releases after January 2027 (see s3-drive.ts).
if (typeof process !== "undefined" && process.env) process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

type TopicEntry = BucketNotificationConfig["TopicConfiguration"][number];

/** botsync's topic as radosgw has it. */
interface Topic {
  arn: string;
  pushEndpoint?: string;
  persistent?: boolean;
  opaqueData?: string;
}

export class CephSubscriptions implements BucketNotifications {
  readonly mode = "ceph" as const;

  constructor(
    private readonly server: SubscriptionServer,
    private readonly target: { topic: string; webhookUrl: string },
  ) {}

  async status(bucket: string): Promise<SubscriptionStatus> {
    const topic = await this.readTopic(this.sns());
    const config = await readBucketNotification(await minioClient(this.server), bucket);
    const target = topic?.arn ?? this.target.topic;
    const { ours, strays } = this.entries(config, topic);
    if (!ours && strays.length === 0) return { bucket, state: "not-subscribed", target };
    const problems = ours ? [...this.entryIssues(ours), ...this.topicIssues(topic)] : strays.map((t) => this.strayIssue(t, target));
    return problems.length === 0 ? { bucket, state: "subscribed", target } : { bucket, state: "wrong-target", target, problems };
  }

  async plan(buckets: readonly string[]): Promise<SubscriptionPlan> {
    const topic = await this.readTopic(this.sns());
    const topicChange = this.topicChange(topic);
    const client = await minioClient(this.server);
    const plan: SubscriptionPlan = { target: topic?.arn ?? this.target.topic, changes: topicChange ? [topicChange] : [], unchanged: [] };
    for (const bucket of buckets) {
      const change = this.bucketChange(bucket, await readBucketNotification(client, bucket), topic, topicChange !== null);
      if (change) plan.changes.push(change);
      else plan.unchanged.push(bucket);
    }
    return plan;
  }

  async subscribe(buckets: readonly string[]): Promise<SubscriptionPlan> {
    const sns = this.sns();
    const topic = await this.readTopic(sns);
    const topicChange = this.topicChange(topic);
    const arn = topicChange ? await this.createTopic(sns) : topic!.arn;
    const client = await minioClient(this.server);
    const done: SubscriptionPlan = { target: arn, changes: topicChange ? [{ ...topicChange, target: arn }] : [], unchanged: [] };
    for (const bucket of buckets) {
      const change = this.bucketChange(bucket, await readBucketNotification(client, bucket), topic, topicChange !== null);
      const { NotificationConfig, TopicConfig } = await minioPackage();
      const config = new NotificationConfig();
      config.add(botsyncEntry(new TopicConfig(arn)));
      // radosgw answers NoSuchKey for a topic that does not exist.
      await writeBucketNotification(client, bucket, config, `subscribing bucket ${bucket} to topic ${arn}`, (code) =>
        code === "NoSuchKey" ? `subscribing bucket ${bucket}: radosgw has no topic ${arn} (deleted meanwhile?); the next subscribe creates it again` : undefined,
      );
      if (change) done.changes.push({ ...change, target: arn });
      else done.unchanged.push(bucket);
    }
    return done;
  }

  private sns(): SNSClient {
    return new SNSClient({
      endpoint: this.server.endpoint,
      region: this.server.region,
      credentials: () => credentialsOf(this.server),
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 3_000, requestTimeout: 30_000 },
    });
  }

  /** The topic named `target.topic`, or null when radosgw has none. */
  private async readTopic(sns: SNSClient): Promise<Topic | null> {
    try {
      let arn: string | undefined;
      let token: string | undefined;
      do {
        const page = await sns.send(new ListTopicsCommand(token ? { NextToken: token } : {}));
        // ListTopics also lists radosgw's internal per-notification copies; they carry the same ARN.
        arn = page.Topics?.map((t) => t.TopicArn).find((a) => a !== undefined && a.split(":")[5] === this.target.topic);
        token = page.NextToken || undefined;
      } while (!arn && token);
      if (!arn) return null;
      const attributes = (await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes ?? {};
      return { arn, ...parseEndpoint(attributes["EndPoint"]), opaqueData: attributes["OpaqueData"] };
    } catch (error) {
      throw subscriptionError(error, `reading topic ${this.target.topic}`);
    }
  }

  private async createTopic(sns: SNSClient): Promise<string> {
    try {
      const out = await sns.send(
        new CreateTopicCommand({
          Name: this.target.topic,
          Attributes: { "push-endpoint": this.target.webhookUrl, persistent: "true", OpaqueData: this.server.webhookToken },
        }),
      );
      if (!out.TopicArn) throw new Error("CreateTopic answered without a TopicArn");
      return out.TopicArn;
    } catch (error) {
      throw subscriptionError(error, `creating topic ${this.target.topic}`);
    }
  }

  /** What is wrong with the topic (never showing the token). */
  private topicIssues(topic: Topic | null): string[] {
    if (!topic) return [`topic ${this.target.topic} does not exist`];
    const issues: string[] = [];
    if (topic.pushEndpoint !== this.target.webhookUrl) issues.push(`topic ${topic.arn} pushes to ${topic.pushEndpoint ?? "nowhere"}, not ${this.target.webhookUrl}`);
    if (topic.persistent !== true) issues.push(`topic ${topic.arn} is not persistent (events would be lost while botsync is down)`);
    if (topic.opaqueData !== this.server.webhookToken) issues.push(`topic ${topic.arn} does not carry the current webhook token as OpaqueData`);
    return issues;
  }

  private topicChange(topic: Topic | null): SubscriptionChange | null {
    const issues = this.topicIssues(topic);
    if (!topic) {
      const detail = `create persistent topic ${this.target.topic} pushing to ${this.target.webhookUrl} (OpaqueData = the webhook token)`;
      return { kind: "create-topic", target: this.target.topic, detail };
    }
    return issues.length === 0 ? null : { kind: "update-topic", target: topic.arn, detail: `update ${issues.join("; ")}` };
  }

  /**
   * botsync's entry for its topic, and entries with botsync's id for other topics: radosgw 16.2 keys
   * entries by id and topic, so a PUT for botsync's topic leaves those in place (they do not take
   * botsync's events away; removing them by id would remove botsync's entry too).
   */
  private entries(config: BucketNotificationConfig, topic: Topic | null): { ours?: TopicEntry; strays: TopicEntry[] } {
    const mine = config.TopicConfiguration.filter((t) => t.Id === NOTIFICATION_ID);
    const ours = topic ? mine.find((t) => t.Topic === topic.arn) : undefined;
    return { ours, strays: mine.filter((t) => t !== ours) };
  }

  private entryIssues(entry: TopicEntry): string[] {
    return entryProblems(entry).map((p) => `botsync's entry: ${p}`);
  }

  private strayIssue(entry: TopicEntry, target: string): string {
    return `botsync's entry sends to ${entry.Topic}, not ${target}`;
  }

  private bucketChange(bucket: string, config: BucketNotificationConfig, topic: Topic | null, topicChanges: boolean): SubscriptionChange | null {
    const target = topic?.arn ?? this.target.topic;
    const { ours, strays } = this.entries(config, topic);
    if (!ours && strays.length === 0) {
      return { kind: "subscribe", bucket, target, detail: `subscribe bucket ${bucket} to topic ${this.target.topic} for created and removed objects` };
    }
    if (!ours) {
      const stays = strays.map((t) => this.strayIssue(t, target)).join("; ");
      return { kind: "update-subscription", bucket, target, detail: `fix bucket ${bucket}: ${stays}; add botsync's entry for its topic (radosgw keeps the other entry)` };
    }
    const issues = this.entryIssues(ours);
    if (issues.length > 0) return { kind: "update-subscription", bucket, target, detail: `fix bucket ${bucket}: ${issues.join("; ")}` };
    if (topicChanges) {
      const detail = `re-subscribe bucket ${bucket}, so that radosgw's copy of the topic in it follows the topic change`;
      return { kind: "refresh-subscription", bucket, target, detail };
    }
    return null;
  }
}

/** radosgw's `EndPoint` attribute: JSON with EndpointAddress and Persistent ("true"/"false"). */
function parseEndpoint(raw: string | undefined): { pushEndpoint?: string; persistent?: boolean } {
  if (!raw) return {};
  try {
    const parsed = JSON.parse(raw) as { EndpointAddress?: unknown; Persistent?: unknown };
    return {
      pushEndpoint: typeof parsed.EndpointAddress === "string" ? parsed.EndpointAddress : undefined,
      persistent: parsed.Persistent === "true" || parsed.Persistent === true,
    };
  } catch {
    return {};
  }
}
