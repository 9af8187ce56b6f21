/** encodeurl 1.0.2 (REST Client's form encoding): percent-encodes what a URL may not hold, keeping valid %XX escapes. */
declare module 'encodeurl' {
  function encodeurl(url: string): string;
  export = encodeurl;
}
