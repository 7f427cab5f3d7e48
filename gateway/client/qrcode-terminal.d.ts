// qrcode-terminal ships no types; this covers the one call the gateway makes.
declare module "qrcode-terminal" {
  interface GenerateOptions {
    small?: boolean;
  }
  function generate(text: string, options: GenerateOptions, print: (qr: string) => void): void;
  const qrcodeTerminal: { generate: typeof generate };
  export default qrcodeTerminal;
}
