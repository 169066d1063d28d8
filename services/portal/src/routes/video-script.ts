/**
 * The faces' video player script, served at VIDEO_SCRIPT_PATH (first party, like the beacon).
 * Poster first and lazy: nothing of a video loads until it comes near the screen; then HLS is
 * played through hls.js (served by the face itself at HLS_SCRIPT_PATH, never from a CDN) wherever
 * Media Source exists (hls.js fetches segments only once the reader presses play), and by the
 * browser's own HLS where it does not (iPhone Safari). Plays, watch time and completion go to the
 * reading beacon (POST /_b) as the events core's readBeacon accepts (analytics/beacon.ts):
 *   {k:"play"}  once a play starts (again after the video ended and is played anew);
 *   {k:"watch"} every 15 s of watching, on pause, and when the page is hidden or left;
 *   {k:"end"}   once per play, when 95 % of the video is reached;
 * each with p (the page path: the story), i (the video id), w (milliseconds watched since the
 * previous event, seeking excluded) and f (the furthest fraction of the video reached, 0–1).
 * The face comes from the Host, the visitor from the server's daily hash: no identifier here.
 */
export const VIDEO_SCRIPT_PATH = '/_v.js';
export const HLS_SCRIPT_PATH = '/_hls.js';

export const VIDEO_SCRIPT = `(function(){
"use strict";
var d=document,w=window,n=navigator,H="${HLS_SCRIPT_PATH}",loading=null;
function hlsLib(){if(w.Hls)return Promise.resolve(w.Hls);if(loading)return loading;
loading=new Promise(function(ok,ko){var s=d.createElement("script");s.src=H;s.onload=function(){ok(w.Hls)};s.onerror=ko;d.head.appendChild(s);});return loading;}
function send(v,k,m,f){if(n.webdriver&&!w.__ydBeaconInTests)return;var id=v.getAttribute("data-video");if(!id)return;
var s=JSON.stringify({k:k,p:location.pathname,i:id,w:Math.max(0,Math.min(600000,Math.round(m))),f:Math.max(0,Math.min(1,Math.round(f*10000)/10000))});
try{if(n.sendBeacon&&n.sendBeacon("/_b",new Blob([s],{type:"text/plain"})))return;}catch(e){}
try{fetch("/_b",{method:"POST",body:s,keepalive:true,credentials:"omit",headers:{"content-type":"text/plain"}});}catch(e){}}
function track(v){var playing=false,ms=0,last=null,far=0,done=false;
function frac(){return v.duration&&isFinite(v.duration)?Math.min(1,v.currentTime/v.duration):0;}
function flush(k){if(!playing)return;if(k==="watch"&&ms<1)return;send(v,k,ms,far);ms=0;}
v.addEventListener("play",function(){if(!playing||done){playing=true;done=false;far=frac();ms=0;send(v,"play",0,far);}last=v.currentTime;});
v.addEventListener("timeupdate",function(){var t=v.currentTime;if(last!==null&&t>last&&t-last<2)ms+=(t-last)*1000;last=t;
var x=frac();if(x>far)far=x;if(ms>=15000)flush("watch");if(!done&&x>=0.95){done=true;far=Math.max(far,x);flush("end");}});
v.addEventListener("seeking",function(){last=null;});
v.addEventListener("pause",function(){if(!done)flush("watch");});
v.addEventListener("ended",function(){if(!done){done=true;far=1;flush("end");}});
d.addEventListener("visibilitychange",function(){if(d.visibilityState==="hidden"&&!done)flush("watch");});
w.addEventListener("pagehide",function(){if(!done)flush("watch");});}
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
