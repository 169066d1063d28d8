/**
 * The faces' first-party reading script, served at BEACON_SCRIPT_PATH by beacon.ts; what it sends
 * is what core's parseBeacon (analytics/events.ts) accepts. No cookie,
 * no storage, no identifier: it reports a page view, one reading completion per story page (the
 * end of the article scrolled into view after a minimum time), and share clicks (elements with
 * data-share="<channel>", and copying on a story page), with navigator.sendBeacon as text/plain
 * (no CORS preflight), falling back to fetch keepalive.
 */
export const BEACON_PATH = '/_b';
export const BEACON_SCRIPT_PATH = '/_b.js';

export const BEACON_SCRIPT = `(function(){
"use strict";
var d=document,w=window,n=navigator,E="${BEACON_PATH}",p=location.pathname,story=/^\\/a\\/[0-9a-f-]{36}/i.test(p);
function send(k,x){var b={k:k,p:p};if(x)for(var i in x)b[i]=x[i];var s=JSON.stringify(b);
try{if(n.sendBeacon&&n.sendBeacon(E,new Blob([s],{type:"text/plain"})))return;}catch(e){}
try{fetch(E,{method:"POST",body:s,keepalive:true,credentials:"omit",headers:{"content-type":"text/plain"}});}catch(e){}}
if(n.webdriver)return;
send("v",{r:d.referrer||null});
if(story){var t0=Date.now(),done=false;
function check(){if(done)return;var a=d.querySelector("article")||d.querySelector("main")||d.body;
var r=a.getBoundingClientRect(),seen=w.innerHeight-r.top>=r.height*0.9,min=Math.min(30000,Math.max(8000,r.height*8));
if(seen&&Date.now()-t0>=min){done=true;send("r");w.removeEventListener("scroll",check);clearInterval(iv);}}
w.addEventListener("scroll",check,{passive:true});var iv=setInterval(check,4000);
var copied=false;d.addEventListener("copy",function(){if(!copied){copied=true;send("s",{c:"copy"});}});}
d.addEventListener("click",function(e){var el=e.target&&e.target.closest?e.target.closest("[data-share]"):null;
if(el)send("s",{c:el.getAttribute("data-share")||"other"});},true);
})();
`;
