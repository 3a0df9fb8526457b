import type { ContentType } from "@/lib/generated/prisma/enums";

/**
 * The relevance set: a catalogue with known contents and the queries a learner
 * would type, each with the courses that must appear in its first five results
 * (issue 20: at least 40 queries, precision at 5 ≥ 0.9, and nothing at all for
 * the queries that should find nothing). relevance.test.ts runs it in npm test
 * against the real search on PostgreSQL, among a thousand distractor courses.
 */

export interface RelevanceCourse {
  key: string;
  title: string;
  description?: string;
  partners?: string[];
  skills?: string[];
  /** A skill an admin attached (not Coursera's). */
  adminSkill?: string;
  language?: string;
  contentType?: ContentType;
}

export const RELEVANCE_COURSES: RelevanceCourse[] = [
  {
    key: "py4e",
    title: "Python for Everybody",
    description: "Learn to program and analyse data.",
    partners: ["University of Michigan"],
    skills: ["Python Programming"],
  },
  {
    key: "pyds",
    title: "Python Data Structures",
    description: "Lists, dictionaries and tuples.",
    partners: ["University of Michigan"],
    skills: ["Python Programming", "Data Structures"],
  },
  {
    key: "pycrash",
    title: "Crash Course on Python",
    description: "Write your first scripts.",
    partners: ["Google"],
    skills: ["Python Programming"],
  },
  {
    key: "ml",
    title: "Machine Learning",
    description: "The classic introduction to supervised models.",
    partners: ["Stanford University"],
    skills: ["Regression", "Classification"],
  },
  {
    key: "mlspec",
    title: "Machine Learning Specialization",
    partners: ["DeepLearning.AI", "Stanford University"],
    skills: ["Supervised Models"],
    contentType: "SPECIALIZATION",
  },
  {
    key: "dl",
    title: "Deep Learning Specialization",
    description: "Build and train models.",
    partners: ["DeepLearning.AI"],
    skills: ["Neural Networks"],
    contentType: "SPECIALIZATION",
  },
  {
    key: "k8s",
    title: "Introduction to Kubernetes",
    description: "Run containers in production.",
    partners: ["IBM"],
    skills: ["Containers"],
  },
  { key: "gke", title: "Architecting with Google Kubernetes Engine", partners: ["Google Cloud"], skills: ["Cloud Infrastructure"] },
  {
    key: "nego",
    title: "Successful Negotiation: Essential Strategies and Skills",
    partners: ["University of Michigan"],
    skills: ["Negotiation"],
  },
  {
    key: "pm",
    title: "Project Management Principles and Practices",
    partners: ["University of California, Irvine"],
    skills: ["Project Planning"],
  },
  {
    key: "gpm",
    title: "Google Project Management",
    partners: ["Google"],
    skills: ["Agile Methods", "Scrum"],
    contentType: "PROFESSIONAL_CERTIFICATE",
  },
  {
    key: "fin",
    title: "Financial Markets",
    description: "Risk, insurance and behavioural finance.",
    partners: ["Yale University"],
    skills: ["Investment"],
  },
  { key: "wellbeing", title: "The Science of Well-Being", partners: ["Yale University"], skills: ["Psychology", "Happiness"] },
  {
    key: "lhtl",
    title: "Learning How to Learn",
    description: "Powerful mental tools to master tough subjects.",
    partners: ["Deep Teaching Solutions"],
    skills: ["Memory"],
  },
  {
    key: "java-fr",
    title: "Introduction à la programmation orientée objet (en Java)",
    partners: ["École Polytechnique Fédérale de Lausanne"],
    skills: ["Java"],
    language: "fr",
  },
  {
    key: "eco-fr",
    title: "Économie du développement",
    description: "Croissance, pauvreté et institutions.",
    partners: ["Université Paris 1"],
    language: "fr",
  },
  {
    key: "gestion-es",
    title: "Gestión de proyectos",
    description: "Planificación y control.",
    partners: ["Universidad Austral"],
    language: "es",
  },
  {
    key: "aa-es",
    title: "Aprendizaje automático",
    description: "Modelos supervisados y no supervisados.",
    partners: ["Universidad de los Andes"],
    language: "es",
  },
  { key: "ml-de", title: "Maschinelles Lernen für Einsteiger", partners: ["Technische Universität München"], language: "de" },
  { key: "dsr", title: "Data Science: Foundations using R", partners: ["Johns Hopkins University"], skills: ["R Programming"] },
  { key: "sqlds", title: "SQL for Data Science", partners: ["University of California, Davis"], skills: ["SQL"] },
  { key: "cyber", title: "Cybersecurity Fundamentals", partners: ["IBM"], skills: ["Network Security"] },
  { key: "mkt", title: "Marketing in a Digital World", partners: ["University of Illinois"], skills: ["Digital Marketing"] },
  {
    key: "lead-ei",
    title: "Leadership and Emotional Intelligence",
    partners: ["Indian School of Business"],
    skills: ["Self-Awareness"],
    adminSkill: "Onboarding Essentials",
  },
  { key: "lead-mot", title: "Inspiring and Motivating Individuals", partners: ["University of Michigan"], skills: ["Leadership"] },
  { key: "statpy", title: "Statistics with Python", partners: ["University of Michigan"], skills: ["Statistical Inference"] },
  {
    key: "bayes",
    title: "Bayesian Statistics: From Concept to Data Analysis",
    partners: ["University of California, Santa Cruz"],
    skills: ["Bayesian Inference"],
  },
  { key: "writing", title: "Writing in the Sciences", partners: ["Stanford University"], skills: ["Scientific Writing"] },
  { key: "psych", title: "Introduction to Psychology", partners: ["Yale University"], skills: ["Behaviour"] },
  { key: "cloud", title: "Cloud Computing Basics", partners: ["LearnQuest"], skills: ["Cloud Services"] },
  { key: "aws", title: "AWS Cloud Technical Essentials", partners: ["Amazon Web Services"], skills: ["Amazon EC2"] },
  { key: "excel", title: "Excel Skills for Business", partners: ["Macquarie University"], skills: ["Spreadsheets"] },
  { key: "chain", title: "Blockchain Basics", partners: ["University at Buffalo"], skills: ["Cryptocurrency"] },
  { key: "philo", title: "Introduction to Philosophy", partners: ["University of Edinburgh"], skills: ["Ethics"] },
  { key: "dt", title: "Design Thinking for Innovation", partners: ["University of Virginia"], skills: ["Innovation"] },
  { key: "nego-fr", title: "Négociation interculturelle", partners: ["ESSEC Business School"], language: "fr" },
];

/**
 * Distractors: courses on other subjects whose descriptions mention the query
 * words now and then, so that ranking (title first) is what puts the right
 * courses on top, not their being the only matches.
 */
export function relevanceDistractors(count: number): RelevanceCourse[] {
  const subjects = [
    "Supply Chain",
    "Public Health",
    "Music Theory",
    "Astronomy",
    "Urban Planning",
    "Art History",
    "Nutrition",
    "Climate Policy",
  ];
  const forms = ["Introduction to", "Topics in", "Advanced", "Foundations of"];
  const mentions = ["python", "statistics", "leadership", "data", "learning", "management", "design", "cloud"];
  return Array.from({ length: count }, (_, i) => ({
    key: `distractor-${i}`,
    title: `${forms[i % forms.length]} ${subjects[(i >> 2) % subjects.length]} ${i}`,
    description: i % 3 === 0 ? `Includes a short module on ${mentions[i % mentions.length]}.` : "A survey of the field.",
    partners: [i % 2 ? "Open Institute" : "Generic University"],
  }));
}

export interface RelevanceQuery {
  q: string;
  /** Keys of the courses that must be among the first five results (empty: nothing may be found). */
  top5: string[];
  kind: string;
}

export const RELEVANCE_QUERIES: RelevanceQuery[] = [
  { kind: "exact", q: "python", top5: ["py4e", "pyds", "pycrash", "statpy"] },
  { kind: "exact", q: "kubernetes", top5: ["k8s", "gke"] },
  { kind: "exact", q: "negotiation", top5: ["nego"] },
  { kind: "exact", q: "financial markets", top5: ["fin"] },
  { kind: "exact", q: "well-being", top5: ["wellbeing"] },
  { kind: "exact", q: "blockchain", top5: ["chain"] },
  { kind: "exact", q: "excel", top5: ["excel"] },
  { kind: "exact", q: "philosophy", top5: ["philo"] },
  { kind: "prefix", q: "kuber", top5: ["k8s", "gke"] },
  { kind: "prefix", q: "machine learn", top5: ["ml", "mlspec"] },
  { kind: "prefix", q: "psych", top5: ["psych", "wellbeing"] },
  { kind: "prefix", q: "blockch", top5: ["chain"] },
  { kind: "prefix", q: "bayes", top5: ["bayes"] },
  { kind: "multi-word", q: "deep learning", top5: ["dl"] },
  { kind: "multi-word", q: "project management", top5: ["pm", "gpm"] },
  { kind: "multi-word", q: "data science", top5: ["dsr", "sqlds"] },
  { kind: "multi-word", q: "sql data", top5: ["sqlds"] },
  { kind: "multi-word", q: "design thinking", top5: ["dt"] },
  { kind: "multi-word", q: "cloud computing", top5: ["cloud"] },
  { kind: "partner", q: "university of michigan", top5: ["py4e", "pyds", "nego", "lead-mot", "statpy"] },
  { kind: "partner", q: "yale", top5: ["fin", "wellbeing", "psych"] },
  { kind: "partner", q: "stanford", top5: ["ml", "mlspec", "writing"] },
  { kind: "partner", q: "google", top5: ["pycrash", "gke", "gpm"] },
  { kind: "partner", q: "deeplearning.ai", top5: ["mlspec", "dl"] },
  { kind: "skill", q: "neural networks", top5: ["dl"] },
  { kind: "skill", q: "regression", top5: ["ml"] },
  { kind: "skill", q: "agile", top5: ["gpm"] },
  { kind: "skill", q: "amazon ec2", top5: ["aws"] },
  { kind: "admin skill", q: "onboarding essentials", top5: ["lead-ei"] },
  { kind: "accents and case", q: "ECOLE polytechnique", top5: ["java-fr"] },
  { kind: "accents and case", q: "economie", top5: ["eco-fr"] },
  { kind: "accents and case", q: "Économie", top5: ["eco-fr"] },
  { kind: "accents and case", q: "GESTIÓN de proyectos", top5: ["gestion-es"] },
  { kind: "accents and case", q: "negociation", top5: ["nego-fr", "nego"] },
  { kind: "other language", q: "aprendizaje automatico", top5: ["aa-es"] },
  { kind: "other language", q: "maschinelles lernen", top5: ["ml-de"] },
  { kind: "other language", q: "programmation objet", top5: ["java-fr"] },
  { kind: "one typo", q: "pyhton", top5: ["py4e", "pyds", "pycrash", "statpy"] },
  { kind: "one typo", q: "managment", top5: ["pm", "gpm"] },
  { kind: "one typo", q: "kubernets", top5: ["k8s", "gke"] },
  { kind: "one typo", q: "philosphy", top5: ["philo"] },
  { kind: "one typo", q: "blokchain", top5: ["chain"] },
  { kind: "one typo", q: "finacial markets", top5: ["fin"] },
  { kind: "one typo", q: "statistcs", top5: ["statpy", "bayes"] },
  { kind: "one typo", q: "machin lerning", top5: ["ml", "mlspec"] },
  { kind: "one typo", q: "leadrship", top5: ["lead-ei", "lead-mot"] },
  { kind: "two typos", q: "kubrenetse", top5: ["k8s", "gke"] },
  { kind: "two typos", q: "psyhcolgoy", top5: ["psych", "wellbeing"] },
  { kind: "two typos", q: "cybersecurty fundamentls", top5: ["cyber"] },
  { kind: "two typos", q: "emotinal intelligance", top5: ["lead-ei"] },
  { kind: "nothing", q: "quantum chromodynamics", top5: [] },
  { kind: "nothing", q: "zzzzzz", top5: [] },
  { kind: "nothing", q: "knitting", top5: [] },
  { kind: "nothing", q: "python knitting", top5: [] },
  { kind: "nothing", q: "underwater basket weaving", top5: [] },
  { kind: "nothing", q: "xylophone", top5: [] },
];
