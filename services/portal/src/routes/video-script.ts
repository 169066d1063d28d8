/**
 * The faces' video player script, served at VIDEO_SCRIPT_PATH (first party, like the beacon).
 * Poster first and lazy: nothing of a video loads until it comes near the screen; then HLS is
 * played through hls.js (served by the face itself at HLS_SCRIPT_PATH, never from a CDN) wherever
 * Media Source exists (hls.js fetches segments only once the reader presses play), and by the
 * browser's own HLS where it does not (iPhone Safari). Plays, watch time and completion are sent
 * to the reading beacon as k "p" events, which the analytics context does not count yet: parseBeacon
 * drops unknown kinds (issue #17 item 5, per-video analytics, is still open).
 */
export const VIDEO_SCRIPT_PATH = '/_v.js';
export const HLS_SCRIPT_PATH = '/_hls.js';

export const VIDEO_SCRIPT = `(function(){
"use strict";
var d=document,w=window,n=navigator,H="${HLS_SCRIPT_PATH}",loading=null;
function hlsLib(){if(w.Hls)return Promise.resolve(w.Hls);if(loading)return loading;
loading=new Promise(function(ok,ko){var s=d.createElement("script");s.src=H;s.onload=function(){ok(w.Hls)};s.onerror=ko;d.head.appendChild(s);});return loading;}
function send(v,x){if(n.webdriver&&!w.__ydBeaconInTests)return;var b={k:"p",p:location.pathname,vid:v.getAttribute("data-video")};for(var i in x)b[i]=x[i];var s=JSON.stringify(b);
try{if(n.sendBeacon&&n.sendBeacon("/_b",new Blob([s],{type:"text/plain"})))return;}catch(e){}
try{fetch("/_b",{method:"POST",body:s,keepalive:true,credentials:"omit",headers:{"content-type":"text/plain"}});}catch(e){}}
function track(v){var played=false,watched=0,last=null,done=false;
v.addEventListener("play",function(){if(!played){played=true;send(v,{e:"play"});}});
v.addEventListener("timeupdate",function(){var t=v.currentTime;if(last!==null&&t>last&&t-last<2)watched+=t-last;last=t;
if(!done&&v.duration&&t>=v.duration*0.95){done=true;send(v,{e:"complete",ms:Math.round(watched*1000)});}});
v.addEventListener("seeking",function(){last=null;});
function flush(){if(played&&watched>0){send(v,{e:"watch",ms:Math.round(watched*1000)});watched=0;}}
v.addEventListener("pause",flush);w.addEventListener("pagehide",flush);}
function attach(v){if(v.getAttribute("data-ready"))return;v.setAttribute("data-ready","1");var src=v.getAttribute("data-hls");
if(!(w.MediaSource||w.ManagedMediaSource)){v.src=src;return;}
hlsLib().then(function(Hls){if(!Hls||!Hls.isSupported()){v.src=src;return;}
var h=new Hls({autoStartLoad:false,enableWorker:false,capLevelToPlayerSize:true});h.loadSource(src);h.attachMedia(v);
var started=false;v.addEventListener("play",function(){if(!started){started=true;h.startLoad(-1);}});
}).catch(function(){v.src=src;});}
var vs=d.querySelectorAll("video[data-hls]");
for(var i=0;i<vs.length;i++)track(vs[i]);
if("IntersectionObserver" in w){var io=new IntersectionObserver(function(es){es.forEach(function(e){if(e.isIntersecting){io.unobserve(e.target);attach(e.target);}});},{rootMargin:"200px"});
for(var j=0;j<vs.length;j++)io.observe(vs[j]);}else{for(var k=0;k<vs.length;k++)attach(vs[k]);}
})();
`;
