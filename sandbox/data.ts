/**
 * Deterministic data for the Coursera sandbox. Every content and enrollment record is a pure function
 * of (org seed, index), generated on demand for the page being served, so a 100,000-item catalogue and
 * 500,000 enrollments cost almost no memory. Changes made through the control API live in small
 * override maps on top of the generated data.
 */

export type RawElement = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes a few integers into one 32-bit seed (murmur-style finaliser). */
export function mix(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193);
    h ^= h >>> 13;
    h = Math.imul(h, 0x5bd1e995);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix(h);
}

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)];

function pickSome<T>(rng: () => number, list: readonly T[], min: number, max: number): T[] {
  const n = min + Math.floor(rng() * (max - min + 1));
  const out = new Set<T>();
  for (let guard = 0; out.size < n && guard < n * 4; guard++) out.add(pick(rng, list));
  return [...out];
}

const slugCache = new Map<string, string>();

/** Memoised: the vocabulary is small and normalize() is the slowest part of generating a page. */
export function slugify(s: string): string {
  let slug = slugCache.get(s);
  if (slug === undefined) {
    slug = slugifyUncached(s);
    if (slugCache.size < 50_000) slugCache.set(s, slug);
  }
  return slug;
}

function slugifyUncached(s: string): string {
  return s
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const MASK30 = 0x3fffffff;
const SCRAMBLE = 0x2545f491; // odd, so multiplying by it is a bijection modulo 2^30
const UNSCRAMBLE = (() => {
  // Newton's iteration for the inverse of an odd number modulo 2^32.
  let x = SCRAMBLE;
  for (let i = 0; i < 5; i++) x = Math.imul(x, 2 - Math.imul(SCRAMBLE, x));
  return x;
})();

/**
 * 22 characters like Coursera's ids. The index is hidden in six of them through a seed-keyed
 * bijection, so ids look random yet lookups by id need no table.
 */
function makeId(seed: number, kind: number, index: number): string {
  const rng = mulberry32(mix(seed, kind, index));
  const mask = mix(seed, kind) & MASK30;
  let coded = ((Math.imul(index, SCRAMBLE) & MASK30) ^ mask) >>> 0;
  let tail = "";
  for (let i = 0; i < 6; i++) {
    tail += ID_CHARS[coded % 62];
    coded = Math.floor(coded / 62);
  }
  let head = "";
  for (let i = 0; i < 16; i++) head += ID_CHARS[Math.floor(rng() * 62)];
  return head.slice(0, 8) + tail + head.slice(8);
}

function indexOfId(seed: number, kind: number, id: string): number | null {
  if (id.length !== 22) return null;
  let coded = 0;
  for (let i = 5; i >= 0; i--) {
    const v = ID_CHARS.indexOf(id[8 + i]);
    if (v < 0) return null;
    coded = coded * 62 + v;
  }
  if (coded > MASK30) return null;
  const mask = mix(seed, kind) & MASK30;
  const index = Math.imul((coded ^ mask) >>> 0, UNSCRAMBLE) & MASK30;
  return makeId(seed, kind, index) === id ? index : null;
}

const KIND_CONTENT = 1;
const KIND_PROGRAM = 2;

// ---------------------------------------------------------------------------------------------
// Word lists

interface Topic {
  subject: string;
  domain: [string, string];
  subdomain: [string, string];
  skills: string[];
  projects: string[];
}

const TOPICS: Topic[] = [
  {
    subject: "Machine Learning",
    domain: ["data-science", "Data Science"],
    subdomain: ["machine-learning", "Machine Learning"],
    skills: ["Machine Learning", "Python Programming", "Regression Analysis", "Classification", "Feature Engineering"],
    projects: ["Build a Spam Filter with scikit-learn", "Predict House Prices with Linear Regression"],
  },
  {
    subject: "Data Analysis",
    domain: ["data-science", "Data Science"],
    subdomain: ["data-analysis", "Data Analysis"],
    skills: ["SQL", "Spreadsheet Software", "Data Visualization", "Data Cleansing", "Tableau Software"],
    projects: ["Analyze Sales Data with Excel Pivot Tables", "Create a Dashboard in Tableau"],
  },
  {
    subject: "Python Programming",
    domain: ["computer-science", "Computer Science"],
    subdomain: ["software-development", "Software Development"],
    skills: ["Python Programming", "Debugging", "Algorithms", "Unit Testing"],
    projects: ["Automate File Renaming with Python", "Scrape a Website with Beautiful Soup"],
  },
  {
    subject: "Cloud Computing",
    domain: ["information-technology", "Information Technology"],
    subdomain: ["cloud-computing", "Cloud Computing"],
    skills: ["Cloud Computing", "Amazon Web Services", "Kubernetes", "DevOps", "Linux"],
    projects: ["Deploy a Static Site on Cloud Storage", "Containerize an App with Docker"],
  },
  {
    subject: "Cybersecurity",
    domain: ["information-technology", "Information Technology"],
    subdomain: ["security", "Security"],
    skills: ["Network Security", "Risk Management", "Incident Response", "Cryptography"],
    projects: ["Harden a Linux Server", "Investigate a Phishing Email"],
  },
  {
    subject: "Project Management",
    domain: ["business", "Business"],
    subdomain: ["business-essentials", "Business Essentials"],
    skills: ["Project Management", "Agile Methodologies", "Stakeholder Management", "Scrum"],
    projects: ["Plan a Project with a Gantt Chart", "Run a Sprint Review in Jira"],
  },
  {
    subject: "Negotiation Skills",
    domain: ["business", "Business"],
    subdomain: ["leadership-and-management", "Leadership and Management"],
    skills: ["Negotiation", "Persuasion", "Conflict Management", "Communication"],
    projects: ["Prepare a Negotiation Plan", "Write a Win-Win Proposal"],
  },
  {
    subject: "Leadership",
    domain: ["business", "Business"],
    subdomain: ["leadership-and-management", "Leadership and Management"],
    skills: ["Leadership", "Coaching", "Emotional Intelligence", "Decision Making", "Change Management"],
    projects: ["Design a Team Charter", "Give Feedback with the SBI Model"],
  },
  {
    subject: "Financial Accounting",
    domain: ["business", "Business"],
    subdomain: ["finance", "Finance"],
    skills: ["Accounting", "Financial Analysis", "Budgeting", "Financial Statements"],
    projects: ["Build a Cash Flow Forecast in Google Sheets", "Read a Balance Sheet"],
  },
  {
    subject: "Digital Marketing",
    domain: ["business", "Business"],
    subdomain: ["marketing", "Marketing"],
    skills: ["Digital Marketing", "Search Engine Optimization", "Content Marketing", "Marketing Analytics"],
    projects: ["Set Up a Search Ad Campaign", "Plan a Social Media Calendar"],
  },
  {
    subject: "UX Design",
    domain: ["computer-science", "Computer Science"],
    subdomain: ["design-and-product", "Design and Product"],
    skills: ["User Experience Design", "Prototyping", "User Research", "Figma"],
    projects: ["Design a Mobile Landing Page in Figma", "Run a Usability Test"],
  },
  {
    subject: "Statistics",
    domain: ["data-science", "Data Science"],
    subdomain: ["probability-and-statistics", "Probability and Statistics"],
    skills: ["Statistical Analysis", "Probability", "Hypothesis Testing", "R Programming"],
    projects: ["Run an A/B Test Analysis in R", "Compute Confidence Intervals in Python"],
  },
  {
    subject: "Web Development",
    domain: ["computer-science", "Computer Science"],
    subdomain: ["mobile-and-web-development", "Mobile and Web Development"],
    skills: ["JavaScript", "HTML and CSS", "React", "Web Accessibility"],
    projects: ["Build a To-Do App with React", "Make a Form Accessible"],
  },
  {
    subject: "Supply Chain Management",
    domain: ["business", "Business"],
    subdomain: ["business-strategy", "Business Strategy"],
    skills: ["Supply Chain", "Logistics", "Inventory Management", "Forecasting"],
    projects: ["Model Inventory Levels in Excel", "Map a Supply Chain"],
  },
  {
    subject: "Public Speaking",
    domain: ["personal-development", "Personal Development"],
    subdomain: ["communication", "Communication"],
    skills: ["Public Speaking", "Storytelling", "Presentation Skills"],
    projects: ["Structure a Five-Minute Talk", "Design Slides That Support Your Story"],
  },
  {
    subject: "Public Health",
    domain: ["health", "Health"],
    subdomain: ["public-health", "Public Health"],
    skills: ["Epidemiology", "Health Policy", "Biostatistics"],
    projects: ["Analyze Vaccination Data", "Map Disease Outbreaks"],
  },
  {
    subject: "Renewable Energy",
    domain: ["physical-science-and-engineering", "Physical Science and Engineering"],
    subdomain: ["environmental-science", "Environmental Science"],
    skills: ["Sustainability", "Energy Systems", "Environmental Policy"],
    projects: ["Size a Rooftop Solar System", "Estimate a Carbon Footprint"],
  },
  {
    subject: "Business Writing",
    domain: ["arts-and-humanities", "Arts and Humanities"],
    subdomain: ["writing", "Writing"],
    skills: ["Business Writing", "Editing", "Communication"],
    projects: ["Write a Clear Project Update", "Edit an Email for Brevity"],
  },
];

const COURSE_PATTERNS = [
  "Foundations of {S}",
  "Introduction to {S}",
  "{S} for {A}",
  "Applied {S}",
  "{S} Fundamentals",
  "Advanced {S}",
  "{S} in Practice",
  "Essentials of {S}",
  "{S}: From Theory to Practice",
  "Strategic {S}",
];
const AUDIENCES = [
  "Managers",
  "Beginners",
  "Everyone",
  "Engineers",
  "Healthcare Professionals",
  "Small Businesses",
  "Data Teams",
  "Educators",
];
const UNIVERSITIES = [
  "Yale University",
  "University of Michigan",
  "Stanford University",
  "Duke University",
  "University of London",
  "HEC Paris",
  "Universidad de los Andes",
  "Technical University of Munich",
  "Universidade de São Paulo",
  "The University of Tokyo",
  "Imperial College London",
  "Johns Hopkins University",
];
const COMPANIES = ["Google", "IBM", "Meta", "Microsoft", "Amazon Web Services", "Salesforce", "Intuit", "Adobe"];
const FIRST_NAMES = [
  "Maria",
  "James",
  "Aiko",
  "Carlos",
  "Fatima",
  "Liam",
  "Sofia",
  "Noah",
  "Amara",
  "Lukas",
  "Chen",
  "Priya",
  "Olivia",
  "Mateo",
  "Yuki",
  "Hannah",
  "Omar",
  "Elena",
  "David",
  "Grace",
];
const LAST_NAMES = [
  "Garcia",
  "Smith",
  "Tanaka",
  "Silva",
  "Khan",
  "Müller",
  "Rossi",
  "Dubois",
  "Okafor",
  "Nguyen",
  "Kim",
  "Patel",
  "Johnson",
  "López",
  "Schmidt",
  "Ivanova",
  "Cohen",
  "Brown",
  "Santos",
  "Martin",
];
const INSTRUCTOR_TITLES = [
  "Professor",
  "Associate Professor",
  "Senior Lecturer",
  "Principal Engineer",
  "Director of Learning",
  "Clinical Professor",
  "Staff Data Scientist",
];
const LANGUAGES: [string, number][] = [
  ["en", 0.6],
  ["es", 0.1],
  ["fr", 0.08],
  ["de", 0.07],
  ["pt", 0.08],
  ["ja", 0.07],
];
const LEVELS = ["BEGINNER", "BEGINNER", "INTERMEDIATE", "INTERMEDIATE", "ADVANCED", "MIXED"];
const ACTIVITIES = [
  "work through short videos, readings and practice quizzes",
  "complete hands-on exercises drawn from real organisations",
  "discuss case studies with peers from around the world",
  "build a small portfolio piece you can show at work",
];
const OUTCOMES = [
  "explain the key concepts to colleagues",
  "apply proven techniques to your own projects",
  "choose the right tool for a given problem",
  "measure and communicate results with confidence",
];

/** Coursera's type names, with their share of the catalogue. "Podcast" stands for types we do not know. */
const CONTENT_TYPE_SHARES: [string, number][] = [
  ["Course", 0.7],
  ["Specialization", 0.08],
  ["ProfessionalCertificate", 0.05],
  ["GuidedProject", 0.08],
  ["Project", 0.03],
  ["Video", 0.05],
  ["Podcast", 0.01],
];

function weighted<T>(rng: () => number, table: [T, number][]): T {
  let r = rng();
  for (const [value, weight] of table) {
    if (r < weight) return value;
    r -= weight;
  }
  return table[table.length - 1][0];
}

/** A fixed "now" keeps the data identical from run to run. */
export const SANDBOX_EPOCH_MS = Date.UTC(2026, 0, 15, 9, 0, 0);
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Org configuration

export interface ProgramConfig {
  /** Defaults to an id derived from the org seed. */
  id?: string;
  slug: string;
  name: string;
  tagline?: string;
}

export interface LearnerConfig {
  email: string;
  externalId: string | null;
  fullName: string;
}

export interface LearnerGenerator {
  count: number;
  /** `{n}` is replaced by 1..count. Default `learner{n}@bench.test`. */
  emailPattern?: string;
}

export interface OrgConfig {
  orgId: string;
  clientId: string;
  clientSecret: string;
  seed?: number;
  name?: string;
  catalogueSize: number;
  /** A list, or a number of generated programs. Default 2. */
  programs?: ProgramConfig[] | number;
  learners?: LearnerConfig[] | LearnerGenerator;
  enrollmentCount?: number;
  /** Default 1799. */
  tokenTtlSeconds?: number;
  /** false → 403 on every data call, like an account without API entitlement. Default true. */
  apiAccess?: boolean;
  /** false → `paging.total` is left out, for clients that must not rely on it. Default true. */
  totalVisible?: boolean;
  /**
   * true → about a third of the descriptions are HTML (paragraphs, lists, links), as Coursera sends
   * some, and the content at HOSTILE_DESCRIPTION_INDEX carries HOSTILE_DESCRIPTION_HTML. Default false.
   */
  htmlDescriptions?: boolean;
}

export const DEMO_ORG: OrgConfig = {
  orgId: "acme-demo-org",
  clientId: "acme-demo-client",
  clientSecret: "acme-demo-secret-4f9c2b",
  name: "Acme Corporation",
  seed: 20260115,
  catalogueSize: 120,
  programs: [
    { slug: "acme-learning", name: "Acme Learning", tagline: "Everything Acme employees can learn on Coursera" },
    { slug: "acme-leadership", name: "Acme Leadership Academy", tagline: "For people leaders and those who want to become one" },
  ],
  learners: [
    { email: "ada@acme.test", externalId: "ada@acme.test", fullName: "Ada Lovelace" },
    { email: "grace@acme.test", externalId: "  Grace@ACME.test ", fullName: "Grace Hopper" },
    { email: "linus@acme.test", externalId: null, fullName: "Linus Torvalds" },
    { email: "margaret@acme.test", externalId: "MARGARET@acme.TEST", fullName: "Margaret Hamilton" },
    { email: "alan@acme.test", externalId: null, fullName: "Alan Turing" },
    { email: "stranger@elsewhere.test", externalId: "stranger@elsewhere.test", fullName: "Sam Stranger" },
    { email: "j.doe@contractor.test", externalId: "EXT-4471", fullName: "Jordan Doe" },
    { email: "former.employee@acme-old.test", externalId: null, fullName: "Pat Former" },
  ],
  enrollmentCount: 40,
  tokenTtlSeconds: 1799,
  apiAccess: true,
  totalVisible: true,
  htmlDescriptions: true,
};

export const DEMO_NOAPI_ORG: OrgConfig = {
  orgId: "acme-demo-noapi",
  clientId: "noapi-client",
  clientSecret: "noapi-secret",
  name: "Acme (no API access)",
  seed: 7,
  catalogueSize: 10,
  programs: 1,
  learners: { count: 3 },
  enrollmentCount: 5,
  apiAccess: false,
};

export function benchOrgConfig(sizes: { catalogueSize?: number; learners?: number; enrollments?: number } = {}): OrgConfig {
  return {
    orgId: "bench-org",
    clientId: "bench-client",
    clientSecret: "bench-secret",
    name: "Bench Org",
    seed: 424242,
    catalogueSize: sizes.catalogueSize ?? 100_000,
    programs: 5,
    learners: { count: sizes.learners ?? 50_000, emailPattern: "learner{n}@bench.test" },
    enrollmentCount: sizes.enrollments ?? 500_000,
  };
}

// ---------------------------------------------------------------------------------------------
// One org's data

interface ResolvedProgram {
  id: string;
  slug: string;
  name: string;
  tagline: string | null;
}

const STAGES = ["enrolled", "started", "in-progress", "completed-graded", "completed-ungraded"] as const;
export type EnrollmentStage = (typeof STAGES)[number];
const STAGE_SHARES: [EnrollmentStage, number][] = [
  ["enrolled", 0.12],
  ["started", 0.08],
  ["in-progress", 0.45],
  ["completed-graded", 0.28],
  ["completed-ungraded", 0.07],
];

/**
 * The incremental filters of the enrollment reports (docs: coursera-api.md, "Incremental
 * statistics"), epoch milliseconds: records active (resp. completed) strictly after it; both: either.
 */
export interface EnrollmentFilter {
  lastActivityAfter?: number;
  completedAtAfter?: number;
}

export interface AdvanceEnrollmentInput {
  email?: string;
  externalId?: string;
  contentId: string;
  overallProgress: number;
  isCompleted?: boolean;
  grade?: number | null;
  lastActivityAt?: number;
}

function normKey(s: string | null | undefined): string {
  return (s ?? "").trim().toLowerCase();
}

function sortedInsert(arr: number[], v: number): void {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  if (arr[lo] !== v) arr.splice(lo, 0, v);
}

/** How many entries of a sorted array are ≤ v. */
function countLE(arr: number[], v: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (arr[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SandboxOrg {
  readonly orgId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  readonly seed: number;
  readonly tokenTtlSeconds: number;
  apiAccess: boolean;
  totalVisible: boolean;
  readonly htmlDescriptions: boolean;
  catalogueSize: number;
  enrollmentCount: number;
  readonly programs: ResolvedProgram[];
  private readonly learnerList: LearnerConfig[] | null;
  private readonly learnerGen: Required<LearnerGenerator> | null;

  // Overrides on top of the generated data.
  private readonly contentReplacements = new Map<string, RawElement>();
  private readonly extraContents = new Map<string, RawElement>();
  private readonly hiddenIds = new Set<string>();
  private readonly hiddenIndices: number[] = [];
  private readonly hiddenIndexSet = new Set<number>();
  private readonly enrollmentReplacements = new Map<string, RawElement>();
  private readonly extraEnrollments = new Map<string, RawElement>();
  /** Bumped by every change of an enrollment record: the incremental filters' cache key. */
  private enrollmentVersion = 0;
  private changedCache: { key: string; records: RawElement[] } | null = null;
  /** Bumped by every catalogue change, so caches know when to rebuild. */
  private mutations = 0;
  private membersCache: { key: string; members: { contentId: string; contentType: string }[][] } | null = null;

  constructor(readonly config: OrgConfig) {
    this.orgId = config.orgId;
    this.clientId = config.clientId;
    this.clientSecret = config.clientSecret;
    this.name = config.name ?? config.orgId;
    this.seed = config.seed ?? hashString(config.orgId);
    this.tokenTtlSeconds = config.tokenTtlSeconds ?? 1799;
    this.apiAccess = config.apiAccess ?? true;
    this.totalVisible = config.totalVisible ?? true;
    this.htmlDescriptions = config.htmlDescriptions ?? false;
    this.catalogueSize = Math.max(0, Math.floor(config.catalogueSize));
    this.enrollmentCount = Math.max(0, Math.floor(config.enrollmentCount ?? 0));
    const programs = config.programs ?? 2;
    const list: ProgramConfig[] =
      typeof programs === "number"
        ? Array.from({ length: Math.max(1, programs) }, (_, p) => ({
            slug: `${slugify(this.orgId)}-program-${p + 1}`,
            name: `${this.name} ${pick(mulberry32(mix(this.seed, 31, p)), ["Learning", "Skills", "Academy", "Campus", "Pathways"])} ${p + 1}`,
          }))
        : programs;
    this.programs = list.map((p, i) => ({
      id: p.id ?? makeId(this.seed, KIND_PROGRAM, i),
      slug: p.slug,
      name: p.name,
      tagline: p.tagline ?? null,
    }));
    const learners = config.learners ?? { count: 10 };
    if (Array.isArray(learners)) {
      this.learnerList = learners;
      this.learnerGen = null;
    } else {
      this.learnerList = null;
      this.learnerGen = { count: learners.count, emailPattern: learners.emailPattern ?? "learner{n}@bench.test" };
    }
  }

  // --- catalogue ------------------------------------------------------------------------------

  contentIdAt(index: number): string {
    return makeId(this.seed, KIND_CONTENT, index);
  }

  private generatedIndexOf(contentId: string): number | null {
    const index = indexOfId(this.seed, KIND_CONTENT, contentId);
    return index !== null && index < this.catalogueSize ? index : null;
  }

  /** Program indices a generated content belongs to: one, sometimes two. */
  private programIndicesOf(index: number): number[] {
    const count = this.programs.length;
    const h = mix(this.seed, 11, index);
    const primary = h % count;
    if (count > 1 && (h >>> 8) % 100 < 20) {
      const secondary = (primary + 1 + ((h >>> 16) % (count - 1))) % count;
      return [primary, secondary];
    }
    return [primary];
  }

  private topicOf(index: number): Topic {
    return TOPICS[mix(this.seed, 13, index) % TOPICS.length];
  }

  /** Title and type only, cheap enough for enrollment records. */
  private contentHead(index: number): { type: string; title: string; topic: Topic } {
    const rng = mulberry32(mix(this.seed, 17, index));
    const topic = this.topicOf(index);
    const type = weighted(rng, CONTENT_TYPE_SHARES);
    let title: string;
    switch (type) {
      case "Specialization":
        title = rng() < 0.5 ? `${topic.subject} Specialization` : `Mastering ${topic.subject} Specialization`;
        break;
      case "ProfessionalCertificate":
        title = `${pick(rng, COMPANIES)} ${topic.subject} Professional Certificate`;
        break;
      case "GuidedProject":
        title = pick(rng, topic.projects);
        break;
      case "Project":
        title = `Capstone Project: ${topic.subject}`;
        break;
      case "Video":
        title = rng() < 0.5 ? `${topic.subject} in 10 Minutes` : `Quick Guide: ${topic.subject}`;
        break;
      case "Podcast":
        title = `The ${topic.subject} Podcast`;
        break;
      default:
        title = pick(rng, COURSE_PATTERNS).replace("{S}", topic.subject).replace("{A}", pick(rng, AUDIENCES));
    }
    return { type, title, topic };
  }

  generatedContent(index: number, publicBase: string): RawElement {
    const contentId = this.contentIdAt(index);
    const { type, title, topic } = this.contentHead(index);
    const rng = mulberry32(mix(this.seed, 19, index));
    const isCompany = type === "ProfessionalCertificate" || rng() < 0.3;
    const partnerNames = isCompany ? [pick(rng, COMPANIES)] : pickSome(rng, UNIVERSITIES, 1, 2);
    const language = weighted(rng, LANGUAGES);
    const subtitles = Array.from(new Set([language, ...pickSome(rng, ["en", "es", "fr", "de", "pt", "ja", "ar", "zh-CN"], 0, 4)]));
    const instructorCount = type === "Video" ? 1 : 1 + Math.floor(rng() * 3);
    const instructors = Array.from({ length: instructorCount }, () => {
      const name = `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`;
      const title = pick(rng, INSTRUCTOR_TITLES);
      return {
        name,
        title: title.startsWith("Prof") || title.includes("Professor") ? `${title} of ${topic.subject}` : title,
        photoUrl: `${publicBase}/assets/people/${slugify(name)}.svg`,
      };
    });
    const seconds =
      type === "Video"
        ? 300 + Math.floor(rng() * 1500)
        : type === "GuidedProject"
          ? 3600 + Math.floor(rng() * 2) * 1800
          : type === "Specialization" || type === "ProfessionalCertificate"
            ? (40 + Math.floor(rng() * 160)) * 3600
            : (4 + Math.floor(rng() * 36)) * 3600;
    const updatedMs = SANDBOX_EPOCH_MS - Math.floor(rng() * 720 * DAY_MS);
    // A small share in epoch seconds: some sources send those, and clients must detect them.
    const lastUpdatedAt = rng() < 0.05 ? Math.floor(updatedMs / 1000) : updatedMs;
    const hasLevel = rng() > 0.1;
    const level = pick(rng, LEVELS);
    const kind = type === "Course" ? "course" : type === "Specialization" ? "specialization" : "course";
    const slug = `${slugify(title)}-${contentId.slice(0, 4).toLowerCase()}`;
    const element: RawElement = {
      contentId,
      contentType: type,
      name: title,
      slug,
      description: this.describe(index, {
        kind: type === "GuidedProject" ? "guided project" : "programme",
        subject: topic.subject,
        activity: pick(rng, ACTIVITIES),
        outcome: pick(rng, OUTCOMES),
        partners: partnerNames,
        skills: topic.skills,
      }),
      languageCode: language,
      subtitleLanguageCodes: subtitles,
      lastUpdatedAt,
      partners: partnerNames.map((name) => ({ name, logoUrl: `${publicBase}/assets/logo/${slugify(name)}.svg` })),
      instructors,
      programs: this.programIndicesOf(index).map((p) => {
        const program = this.programs[p];
        return {
          programId: program.id,
          contentUrl: `${publicBase}/programs/${program.slug}?productId=${contentId}&productType=${kind}&showMiniModal=true`,
        };
      }),
      extraMetadata: {
        typeName: type === "Specialization" ? "specializationMetadata" : "courseMetadata",
        definition: {
          promoPhoto: `${publicBase}/assets/promo/${contentId}.svg`,
          estimatedLearningTime: seconds,
          skills: pickSome(rng, topic.skills, 2, Math.min(5, topic.skills.length)).map((name) => ({
            skillId: slugify(name),
            skillName: name,
          })),
          domainTypes: [
            {
              domain: { domainId: topic.domain[0], name: topic.domain[1] },
              subdomain: { subdomainId: topic.subdomain[0], name: topic.subdomain[1] },
            },
          ],
          ...(type === "Specialization" && this.catalogueSize > 1
            ? {
                courseIds: Array.from({ length: 3 + Math.floor(rng() * 3) }, () =>
                  this.contentIdAt(Math.floor(rng() * this.catalogueSize)),
                ),
              }
            : {}),
        },
      },
    };
    if (hasLevel) element.difficultyLevel = level;
    return element;
  }

  /**
   * A content's description: plain text, or (orgs with `htmlDescriptions`) HTML for about a third of
   * them, and the hostile one at HOSTILE_DESCRIPTION_INDEX. Its own hash decides, so the other fields
   * stay what they were without HTML.
   */
  private describe(
    index: number,
    d: { kind: string; subject: string; activity: string; outcome: string; partners: string[]; skills: string[] },
  ): string {
    const taught = `Taught by ${d.partners.join(" and ")}.`;
    if (this.htmlDescriptions && index === HOSTILE_DESCRIPTION_INDEX) return HOSTILE_DESCRIPTION_HTML;
    if (!this.htmlDescriptions || mix(this.seed, 23, index) % 3 !== 0) {
      return `In this ${d.kind} on ${d.subject.toLowerCase()}, you will ${d.activity}. By the end, you will be able to ${d.outcome}. ${taught}`;
    }
    return (
      `<p>In this ${d.kind} on <strong>${d.subject.toLowerCase()}</strong>, you will ${d.activity}.</p>` +
      `<p>By the end, you will be able to:</p><ul>${d.skills
        .slice(0, 3)
        .map((s) => `<li>apply <em>${s}</em> at work</li>`)
        .join("")}<li>${d.outcome}</li></ul>` +
      `<p>${taught} See <a href="https://www.coursera.org/about" target="_blank">how Coursera works</a>.</p>`
    );
  }

  private visibleExtras(): RawElement[] {
    const out: RawElement[] = [];
    for (const [id, el] of this.extraContents) if (!this.hiddenIds.has(id)) out.push(el);
    return out;
  }

  private hiddenBelowSize(): number {
    return countLE(this.hiddenIndices, this.catalogueSize - 1);
  }

  visibleContentCount(): number {
    return this.catalogueSize - this.hiddenBelowSize() + this.visibleExtras().length;
  }

  /** The generated index at visible offset `offset`, skipping hidden ones (least fixed point). */
  private indexAtOffset(offset: number): number {
    let i = offset;
    for (;;) {
      const next = offset + countLE(this.hiddenIndices, i);
      if (next === i) return i;
      i = next;
    }
  }

  contentAtIndex(index: number, publicBase: string): RawElement {
    const id = this.contentIdAt(index);
    return this.contentReplacements.get(id) ?? this.generatedContent(index, publicBase);
  }

  contentsPage(start: number, limit: number, publicBase: string): { elements: RawElement[]; total: number } {
    const elements: RawElement[] = [];
    const visibleGenerated = this.catalogueSize - this.hiddenBelowSize();
    if (start < visibleGenerated) {
      let i = this.hiddenIndices.length === 0 ? start : this.indexAtOffset(start);
      while (elements.length < limit && i < this.catalogueSize) {
        if (!this.hiddenIndexSet.has(i)) elements.push(this.contentAtIndex(i, publicBase));
        i++;
      }
    }
    if (elements.length < limit) {
      const extras = this.visibleExtras();
      const from = Math.max(0, start - visibleGenerated);
      elements.push(...extras.slice(from, from + (limit - elements.length)));
    }
    return { elements, total: this.visibleContentCount() };
  }

  /** A visible content by id (for the stand-in course page), or null. */
  findContent(contentId: string, publicBase: string): RawElement | null {
    if (this.hiddenIds.has(contentId)) return null;
    const index = this.generatedIndexOf(contentId);
    if (index !== null) return this.contentAtIndex(index, publicBase);
    return this.extraContents.get(contentId) ?? null;
  }

  upsertContent(raw: RawElement): string {
    const id = typeof raw.contentId === "string" ? raw.contentId : typeof raw.id === "string" ? raw.id : null;
    if (!id) throw new Error("upsertContent needs a contentId");
    this.restoreContent(id);
    this.mutations++;
    if (this.generatedIndexOf(id) !== null) this.contentReplacements.set(id, raw);
    else this.extraContents.set(id, raw);
    return id;
  }

  /** Hides a content from listings (it can come back with restoreContent). Returns whether it existed. */
  removeContent(contentId: string): boolean {
    const index = this.generatedIndexOf(contentId);
    if (index === null && !this.extraContents.has(contentId)) return false;
    this.hiddenIds.add(contentId);
    this.mutations++;
    if (index !== null) {
      sortedInsert(this.hiddenIndices, index);
      this.hiddenIndexSet.add(index);
    }
    return true;
  }

  restoreContent(contentId: string): boolean {
    if (!this.hiddenIds.delete(contentId)) return false;
    this.mutations++;
    const index = indexOfId(this.seed, KIND_CONTENT, contentId);
    if (index !== null && this.hiddenIndexSet.delete(index)) {
      const at = this.hiddenIndices.indexOf(index);
      if (at >= 0) this.hiddenIndices.splice(at, 1);
    }
    return true;
  }

  setCatalogueSize(n: number): void {
    this.catalogueSize = Math.max(0, Math.floor(n));
  }

  private contentName(contentId: string): { name: string; type: string } | null {
    const index = this.generatedIndexOf(contentId);
    const override = this.contentReplacements.get(contentId) ?? this.extraContents.get(contentId);
    if (override) {
      return { name: String(override.name ?? contentId), type: String(override.contentType ?? "Course") };
    }
    if (index === null) return null;
    const head = this.contentHead(index);
    return { name: head.title, type: head.type };
  }

  private programOfContent(contentId: string): ResolvedProgram {
    const index = this.generatedIndexOf(contentId);
    if (index !== null) return this.programs[this.programIndicesOf(index)[0]];
    const raw = this.extraContents.get(contentId) ?? this.contentReplacements.get(contentId);
    const programs = Array.isArray(raw?.programs) ? (raw.programs as { programId?: string }[]) : [];
    return this.programs.find((p) => p.id === programs[0]?.programId) ?? this.programs[0];
  }

  // --- programs -------------------------------------------------------------------------------

  /** Program membership of the whole visible catalogue, rebuilt only after a change (one pass). */
  private programMembers(): { contentId: string; contentType: string }[][] {
    const key = `${this.catalogueSize}:${this.mutations}`;
    if (this.membersCache?.key === key) return this.membersCache.members;
    const members = this.programs.map(() => [] as { contentId: string; contentType: string }[]);
    const byId = new Map(this.programs.map((p, i) => [p.id, i]));
    const addRaw = (raw: RawElement, id: string) => {
      const programs = Array.isArray(raw.programs) ? (raw.programs as { programId?: string }[]) : [];
      for (const x of programs) {
        const p = byId.get(String(x.programId));
        if (p !== undefined) members[p].push({ contentId: id, contentType: String(raw.contentType ?? "Course") });
      }
    };
    for (let i = 0; i < this.catalogueSize; i++) {
      if (this.hiddenIndexSet.has(i)) continue;
      const id = this.contentIdAt(i);
      const replaced = this.contentReplacements.get(id);
      if (replaced) {
        addRaw(replaced, id);
        continue;
      }
      const type = this.contentHead(i).type;
      for (const p of this.programIndicesOf(i)) members[p].push({ contentId: id, contentType: type });
    }
    for (const extra of this.visibleExtras()) addRaw(extra, String(extra.contentId ?? extra.id));
    this.membersCache = { key, members };
    return members;
  }

  programsPage(start: number, limit: number, publicBase: string): { elements: RawElement[]; total: number } {
    const members = this.programMembers();
    const elements = this.programs.slice(start, start + limit).map((program, k) => ({
      id: program.id,
      name: program.name,
      tagline: program.tagline,
      url: `${publicBase}/programs/${program.slug}`,
      contentIds: members[start + k],
    }));
    return { elements, total: this.programs.length };
  }

  programBySlug(slug: string): ResolvedProgram | null {
    return this.programs.find((p) => p.slug === slug) ?? null;
  }

  // --- learners and enrollments ---------------------------------------------------------------

  learnerCount(): number {
    return this.learnerList ? this.learnerList.length : this.learnerGen!.count;
  }

  learnerAt(l: number): LearnerConfig {
    if (this.learnerList) return this.learnerList[l];
    const rng = mulberry32(mix(this.seed, 23, l));
    const email = this.learnerGen!.emailPattern.replace("{n}", String(l + 1));
    return { email, externalId: email, fullName: `${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}` };
  }

  /** Finds a learner by email or externalId, compared trimmed and case-insensitively. */
  findLearner(key: { email?: string; externalId?: string }): number | null {
    const wanted = [normKey(key.email), normKey(key.externalId)].filter((k) => k !== "");
    if (wanted.length === 0) return null;
    if (this.learnerList) {
      const i = this.learnerList.findIndex(
        (l) => wanted.includes(normKey(l.email)) || (l.externalId !== null && wanted.includes(normKey(l.externalId))),
      );
      return i >= 0 ? i : null;
    }
    const [prefix, suffix] = this.learnerGen!.emailPattern.toLowerCase().split("{n}");
    for (const w of wanted) {
      if (w.startsWith(prefix) && w.endsWith(suffix ?? "")) {
        const n = Number(w.slice(prefix.length, w.length - (suffix ?? "").length));
        if (Number.isInteger(n) && n >= 1 && n <= this.learnerGen!.count) return n - 1;
      }
    }
    return null;
  }

  private effectiveEnrollmentCount(): number {
    return Math.min(this.enrollmentCount, this.learnerCount() * this.catalogueSize);
  }

  private learnerOffset(l: number): number {
    return mix(this.seed, 29, l) % Math.max(1, this.catalogueSize);
  }

  /** Record j pairs learner j mod L with that learner's k-th content, so (learner, content) pairs never repeat. */
  private enrollmentSlot(j: number): { l: number; c: number } {
    const L = this.learnerCount();
    const l = j % L;
    const k = Math.floor(j / L);
    return { l, c: (this.learnerOffset(l) + k) % this.catalogueSize };
  }

  stageOf(j: number): EnrollmentStage {
    // The first five records walk through every stage so small demo orgs always show each one.
    if (j < STAGES.length) return STAGES[j];
    return weighted(mulberry32(mix(this.seed, 37, j)), STAGE_SHARES);
  }

  private buildEnrollment(learner: LearnerConfig, contentId: string, stage: EnrollmentStage, rng: () => number): RawElement {
    const content = this.contentName(contentId) ?? { name: contentId, type: "Course" };
    const program = this.programOfContent(contentId);
    const learnerKey = learner.externalId ?? learner.email;
    const enrolledAt = SANDBOX_EPOCH_MS - Math.floor((2 + rng() * 400) * DAY_MS);
    const activeAt = enrolledAt + Math.floor(rng() * (SANDBOX_EPOCH_MS - enrolledAt));
    const hoursField = content.type === "Video" ? "approxTotalLearningHours" : "approxTotalCourseHrs";
    const record: RawElement = {
      id: `${learnerKey}~${program.id}~${contentId}`,
      programId: program.id,
      programName: program.name,
      programSlug: program.slug,
      email: learner.email,
      fullName: learner.fullName,
      contentId,
      contentType: content.type,
      contentName: content.name,
      contentSlug: slugify(content.name),
      membershipState: rng() < 0.95 ? "MEMBER" : "NOT_MEMBER",
      enrolledAt,
      isCompleted: false,
      overallProgress: 0,
      grade: null,
    };
    if (learner.externalId !== null) record.externalId = learner.externalId;
    switch (stage) {
      case "enrolled":
        record.lastActivityAt = 0;
        record[hoursField] = 0;
        break;
      case "started":
        record.lastActivityAt = activeAt;
        record[hoursField] = Math.round(rng() * 30) / 100;
        break;
      case "in-progress": {
        const progress = 3 + Math.floor(rng() * 93);
        record.lastActivityAt = activeAt;
        record.overallProgress = progress;
        record.grade = rng() < 0.5 ? Math.round(rng() * 10_000) / 10_000 : null;
        record[hoursField] = Math.round((progress / 100) * (2 + rng() * 20) * 100) / 100;
        break;
      }
      case "completed-graded":
      case "completed-ungraded": {
        const completedAt = activeAt;
        record.lastActivityAt = completedAt;
        record.isCompleted = true;
        record.completedAt = completedAt;
        record.overallProgress = 100;
        record.grade = stage === "completed-graded" ? Math.round((0.6 + rng() * 0.4) * 10_000) / 10_000 : null;
        record[hoursField] = Math.round((1 + rng() * 40) * 100) / 100;
        break;
      }
    }
    return record;
  }

  generatedEnrollment(j: number): RawElement {
    const { l, c } = this.enrollmentSlot(j);
    return this.buildEnrollment(this.learnerAt(l), this.contentIdAt(c), this.stageOf(j), mulberry32(mix(this.seed, 41, j)));
  }

  enrollmentsPage(start: number, limit: number, filter?: EnrollmentFilter): { elements: RawElement[]; total: number } {
    if (filter && (filter.lastActivityAfter !== undefined || filter.completedAtAfter !== undefined)) {
      const matching = this.changedEnrollments(filter);
      return { elements: matching.slice(start, start + limit), total: matching.length };
    }
    const generated = this.effectiveEnrollmentCount();
    const elements: RawElement[] = [];
    for (let j = start; j < generated && elements.length < limit; j++) {
      const record = this.generatedEnrollment(j);
      elements.push(this.enrollmentReplacements.get(record.id as string) ?? record);
    }
    if (elements.length < limit) {
      const extras = [...this.extraEnrollments.values()];
      const from = Math.max(0, start - generated);
      elements.push(...extras.slice(from, from + (limit - elements.length)));
    }
    return { elements, total: generated + this.extraEnrollments.size };
  }

  /**
   * The records the incremental filters select, in listing order: lastActivityAt strictly after
   * `lastActivityAfter`, or completed with completedAt strictly after `completedAtAfter` (both given:
   * either). Generated records are all active and completed before SANDBOX_EPOCH_MS, so a window that
   * starts at or after it can only select records set or advanced since (the replacements and the
   * extras): a 500,000-record organisation answers such a filter without generating its listing.
   * Computed once per filter and data version, as a listing is read page by page.
   */
  private changedEnrollments(filter: EnrollmentFilter): RawElement[] {
    const key = `${filter.lastActivityAfter ?? ""}:${filter.completedAtAfter ?? ""}:${this.enrollmentVersion}:${this.enrollmentCount}:${this.catalogueSize}`;
    if (this.changedCache?.key === key) return this.changedCache.records;
    const after = (value: unknown, threshold: number | undefined) =>
      threshold !== undefined && typeof value === "number" && value > 0 && value > threshold;
    const selected = (r: RawElement) =>
      after(r.lastActivityAt, filter.lastActivityAfter) || (r.isCompleted === true && after(r.completedAt, filter.completedAtAfter));
    const thresholds = [filter.lastActivityAfter, filter.completedAtAfter].filter((t): t is number => t !== undefined);
    const records: RawElement[] = [];
    if (Math.min(...thresholds) < SANDBOX_EPOCH_MS) {
      for (let j = 0, n = this.effectiveEnrollmentCount(); j < n; j++) {
        const generated = this.generatedEnrollment(j);
        const record = this.enrollmentReplacements.get(generated.id as string) ?? generated;
        if (selected(record)) records.push(record);
      }
    } else {
      for (const record of this.enrollmentReplacements.values()) if (selected(record)) records.push(record);
    }
    for (const record of this.extraEnrollments.values()) if (selected(record)) records.push(record);
    this.changedCache = { key, records };
    return records;
  }

  /**
   * Moves every `every`-th generated record (from `offset`) forward as a learner's activity would:
   * last activity at `at`, one more point of progress (a completed record stays at 100), a quarter
   * of an hour more. For the benchmarks: a share of a large organisation changed in one call.
   */
  touchEnrollments(input: { every: number; offset?: number; at: number }): number {
    const every = Math.max(1, Math.floor(input.every));
    let touched = 0;
    for (let j = Math.max(0, Math.floor(input.offset ?? 0)), n = this.effectiveEnrollmentCount(); j < n; j += every) {
      const generated = this.generatedEnrollment(j);
      const record = this.enrollmentReplacements.get(generated.id as string) ?? generated;
      const hoursField = "approxTotalLearningHours" in record ? "approxTotalLearningHours" : "approxTotalCourseHrs";
      this.enrollmentReplacements.set(generated.id as string, {
        ...record,
        lastActivityAt: input.at,
        overallProgress: Math.min(100, Number(record.overallProgress ?? 0) + 1),
        [hoursField]: Number(record[hoursField] ?? 0) + 0.25,
      });
      touched++;
    }
    this.enrollmentVersion++;
    return touched;
  }

  private generatedEnrollmentIndex(l: number, contentId: string): number | null {
    const c = this.generatedIndexOf(contentId);
    if (c === null || this.catalogueSize === 0) return null;
    const k = (((c - this.learnerOffset(l)) % this.catalogueSize) + this.catalogueSize) % this.catalogueSize;
    const j = k * this.learnerCount() + l;
    return j < this.effectiveEnrollmentCount() ? j : null;
  }

  /** Replaces (same id) or adds a raw enrollment record. */
  setEnrollment(raw: RawElement): string {
    const id = typeof raw.id === "string" ? raw.id : null;
    if (!id) throw new Error("setEnrollment needs an id");
    this.enrollmentVersion++;
    if (this.extraEnrollments.has(id)) this.extraEnrollments.set(id, raw);
    else if (this.isGeneratedEnrollmentId(id)) this.enrollmentReplacements.set(id, raw);
    else this.extraEnrollments.set(id, raw);
    return id;
  }

  private isGeneratedEnrollmentId(id: string): boolean {
    const contentId = id.split("~").pop() ?? "";
    const learnerKey = id.split("~")[0] ?? "";
    const l = this.findLearner({ email: learnerKey, externalId: learnerKey });
    if (l === null) return false;
    const j = this.generatedEnrollmentIndex(l, contentId);
    return j !== null && this.generatedEnrollment(j).id === id;
  }

  /** Moves a learner's progress on one content forward, creating the enrollment when there is none. */
  advanceEnrollment(input: AdvanceEnrollmentInput): RawElement {
    const l = this.findLearner({ email: input.email, externalId: input.externalId });
    if (l === null) throw new Error(`no learner with ${input.email ?? input.externalId} in org ${this.orgId}`);
    if (this.contentName(input.contentId) === null) throw new Error(`no content ${input.contentId} in org ${this.orgId}`);
    const learner = this.learnerAt(l);
    const j = this.generatedEnrollmentIndex(l, input.contentId);
    const generatedId = j !== null ? (this.generatedEnrollment(j).id as string) : null;
    const fresh = this.buildEnrollment(learner, input.contentId, "enrolled", mulberry32(mix(this.seed, 43, l)));
    const existing =
      (generatedId && (this.enrollmentReplacements.get(generatedId) ?? (j !== null ? this.generatedEnrollment(j) : null))) ||
      this.extraEnrollments.get(fresh.id as string) ||
      fresh;
    const progress = Math.max(0, Math.min(100, input.overallProgress));
    const isCompleted = input.isCompleted ?? progress >= 100;
    const now = input.lastActivityAt ?? Date.now();
    const updated: RawElement = {
      ...existing,
      overallProgress: progress,
      isCompleted,
      lastActivityAt: now,
      ...(isCompleted ? { completedAt: existing.completedAt || now } : { completedAt: undefined }),
      ...(input.grade !== undefined ? { grade: input.grade } : {}),
    };
    if (!isCompleted) delete updated.completedAt;
    this.setEnrollment(updated);
    return updated;
  }

  reset(): void {
    this.mutations++;
    this.contentReplacements.clear();
    this.extraContents.clear();
    this.hiddenIds.clear();
    this.hiddenIndices.length = 0;
    this.hiddenIndexSet.clear();
    this.enrollmentReplacements.clear();
    this.extraEnrollments.clear();
    this.enrollmentVersion++;
    this.catalogueSize = Math.max(0, Math.floor(this.config.catalogueSize));
    this.enrollmentCount = Math.max(0, Math.floor(this.config.enrollmentCount ?? 0));
    this.apiAccess = this.config.apiAccess ?? true;
    this.totalVisible = this.config.totalVisible ?? true;
  }
}

// ---------------------------------------------------------------------------------------------
// A hostile description (orgs with `htmlDescriptions`): what a compromised or careless source could
// send. The product shows its text and nothing else: no script runs, no handler, no style, no frame,
// only the https link stays a link. The e2e test (e2e/course-descriptions.spec.ts) opens it.

export const HOSTILE_DESCRIPTION_INDEX = 7;

/** Everything in it that could run sets window.__hostileDescriptionRan. */
export const HOSTILE_DESCRIPTION_HTML =
  "<p>This description is <strong>hostile on purpose</strong>: it shows how course descriptions are cleaned.</p>" +
  "<script>window.__hostileDescriptionRan = 'script'</script>" +
  '<img src="x" onerror="window.__hostileDescriptionRan = \'onerror\'">' +
  '<p onmouseover="window.__hostileDescriptionRan = \'onmouseover\'" style="position:fixed;inset:0;background:red">Hovering here does nothing.</p>' +
  "<ul><li><a href=\"javascript:window.__hostileDescriptionRan='javascript'\">A javascript: link, kept as text</a></li>" +
  '<li><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">A data: link, kept as text</a></li>' +
  '<li><a href="https://www.coursera.org/" onclick="window.__hostileDescriptionRan = \'onclick\'">An https link to Coursera</a></li></ul>' +
  "<svg onload=\"window.__hostileDescriptionRan = 'svg'\"><script>window.__hostileDescriptionRan = 'svg script'</script></svg>" +
  '<iframe src="https://www.coursera.org/"></iframe><style>body { display: none }</style>' +
  "<p>Unclosed <b>bold and <i>italic</p> &amp; an entity &lt;3";

// ---------------------------------------------------------------------------------------------
// Hostile links (for the tests of lib/coursera/urls.ts): contents whose launch and image links point
// anywhere but Coursera. A real Coursera never sends them; a compromised or spoofed one might.

/** Launch or image links the product must never follow or show, each with a label for the test's output. */
export const HOSTILE_LINKS: { label: string; url: string }[] = [
  { label: "another host", url: "https://evil.example/programs/x?productId=1" },
  { label: "javascript:", url: "javascript:alert(document.cookie)" },
  { label: "data:", url: "data:text/html,<script>alert(1)</script>" },
  { label: "plain http on Coursera", url: "http://www.coursera.org/programs/x" },
  { label: "Coursera as a subdomain of another host", url: "https://www.coursera.org.evil.example/programs/x" },
  { label: "user info before Coursera's host", url: "https://evil.example@www.coursera.org/programs/x" },
  { label: "another port", url: "https://www.coursera.org:8443/programs/x" },
  { label: "scheme-relative", url: "//evil.example/programs/x" },
  { label: "backslash", url: "https:\\\\evil.example\\programs" },
  { label: "look-alike host (Cyrillic о)", url: "https://www.cоursera.org/programs/x" },
  { label: "leading space", url: " https://evil.example/x" },
  { label: "tab inside the scheme", url: "java\tscript:alert(1)" },
];

/** A raw catalogue element (Coursera's shape) whose program link and images are `url`. */
export function hostileContentElement(contentId: string, url: string, validLaunchUrl?: string): Record<string, unknown> {
  return {
    contentId,
    contentType: "Course",
    name: `Hostile link ${contentId}`,
    description: "A catalogue item whose links point outside Coursera.",
    languageCode: "en",
    partners: [{ name: "Hostile University", logoUrl: url }],
    instructors: [{ name: "Mallory", photoUrl: url }],
    programs: [
      { programId: "hostile-program", contentUrl: url },
      ...(validLaunchUrl ? [{ programId: "good-program", contentUrl: validLaunchUrl }] : []),
    ],
    extraMetadata: { typeName: "courseMetadata", definition: { promoPhoto: url, estimatedLearningTime: 3600 } },
  };
}
