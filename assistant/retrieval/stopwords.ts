/** English function words that carry no topic: matching them says nothing about relevance. */
export const STOPWORDS = new Set(
  (
    'a an the and or but if then so to of in on at by for with about from into over under as is are was were be been ' +
    'being am do does did doing have has had having i me my mine we us our you your yours he him his she her it its ' +
    'they them their this that these those there here what which who whom whose when where why how can could would ' +
    'should will shall may might must not no yes please pls plz hi hello hey thanks thank want wanna need needs ' +
    'like just some any all very too also get got im id ive u ur help know tell let see way'
  ).split(/\s+/),
);
