export default function SignedOutPage() {
  return (
    <main>
      <p data-testid="signed-out">You are signed out.</p>
      <a href="/">Home</a>
    </main>
  );
}
