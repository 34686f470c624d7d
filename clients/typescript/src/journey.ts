// A first session through the generated client, against a running backend (SUITE_API_URL, e.g. local/run's
// http://127.0.0.1:3000): register, confirm with the mailed code, log in, read /auth/me, generate an image,
// open a VNPAY payment and pay it on the local stand-in, list rooms. The confirmation code is asked for on stdout
// ("code? <email>") and read from stdin (the test answers from the local mail catcher; a person can type it).
import { createInterface } from "node:readline";
import { createSuiteClient, type ApiError } from "./client.js";

const baseUrl = process.env.SUITE_API_URL ?? "http://127.0.0.1:3000";
let idToken: string | undefined;
const api = createSuiteClient(baseUrl, () => idToken);

function check<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    const error = result.error as ApiError | undefined;
    throw new Error(`${step}: ${result.response.status} ${error?.error?.code ?? ""} ${error?.error?.message ?? ""}`);
  }
  console.log(`ok  ${step} (${result.response.status})`);
  return result.data;
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function ask(question: string): Promise<string> {
  console.log(question);
  const answer = await lines.next();
  if (answer.done) {
    throw new Error(`no answer to "${question}"`);
  }
  return answer.value.trim();
}

async function main(): Promise<void> {
  const email = `ts${Date.now().toString(36)}@example.com`;
  const password = "Passw0rdOk";

  const registered = check("register", await api.POST("/auth/register", { body: { email, password, name: "Typed" } }));
  const code = await ask(`code? ${email}`);
  const confirmed = check("confirm", await api.POST("/auth/confirm", { body: { email, code } }));
  if (!confirmed.confirmed) throw new Error("not confirmed");

  const tokens = check("login", await api.POST("/auth/login", { body: { email, password } }));
  idToken = tokens.idToken;

  const me = check("me", await api.GET("/auth/me"));
  if (me.userId !== registered.userId) throw new Error(`me is ${me.userId}, registered ${registered.userId}`);
  const startingCredits = me.credits;

  const image = check("generate image", await api.POST("/image/generate-image", { body: { prompt: "a lighthouse at dawn" } }));
  if (image.creditsLeft !== startingCredits - 1) throw new Error(`credits left ${image.creditsLeft}`);

  const { packages } = check("packages", await api.GET("/payment/packages"));
  const starter = packages[0];
  const order = check("pay-vnpay", await api.POST("/user/pay-vnpay", { body: { packageId: starter.id } }));

  // the local VNPAY stand-in's "Pay" button: it calls the IPN, then redirects to the return route
  const paid = await fetch(`${baseUrl}/_local/vnpay/complete`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ result: "pay", q: new URL(order.paymentUrl).search.slice(1) }),
    redirect: "manual",
  });
  const landing = paid.headers.get("Location");
  if (paid.status !== 302 || !landing) throw new Error(`stand-in answered ${paid.status}`);
  const returned = (await (await fetch(landing)).json()) as { status: string };
  if (returned.status !== "SUCCEEDED") throw new Error(`return page says ${returned.status}`);
  console.log("ok  paid on the VNPAY stand-in");

  const txn = check("transaction", await api.GET("/payment/transactions/{transactionId}", {
    params: { path: { transactionId: order.transactionId } },
  }));
  if (txn.status !== "SUCCEEDED") throw new Error(`transaction ${txn.status}`);
  const credits = check("credits", await api.GET("/user/credits", { params: { query: { limit: 10 } } }));
  if (credits.credits !== startingCredits - 1 + starter.credits) throw new Error(`credits ${credits.credits}`);

  const room = check("create room", await api.POST("/chat/rooms", { body: { type: "group", name: "Typed room", memberIds: [] } }));
  const rooms = check("list rooms", await api.GET("/chat/rooms", { params: { query: { limit: 20 } } }));
  if (!rooms.items.some((r) => r.roomId === room.roomId)) throw new Error("the new room is not listed");

  console.log("journey ok");
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(`journey failed: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
